# German date formats of the platform (Django's own German formats for everything not named here).
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
