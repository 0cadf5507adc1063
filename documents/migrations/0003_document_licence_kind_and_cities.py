# Publications get a licence, a kind and cities (issue 13).
#
# Rows that exist already were published without anybody granting an open licence, so they get
# „alle Rechte vorbehalten“ (the licence a document has by law); new documents start with CC BY 4.0.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_version_text_failure_and_attempts'),
        ('members', '0002_person_mail_language'),
        ('workspaces', '0001_workspaces_members_and_join_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='cities',
            field=models.ManyToManyField(blank=True, related_name='+', to='members.municipality', verbose_name='Städte'),
        ),
        migrations.AddField(
            model_name='document',
            name='licence',
            field=models.CharField(choices=[('cc-by-4.0', 'CC BY 4.0 (frei nutzbar mit Namensnennung)'), ('cc-by-sa-4.0', 'CC BY-SA 4.0 (Namensnennung, Weitergabe unter gleichen Bedingungen)'), ('all-rights-reserved', 'alle Rechte vorbehalten'), ('internal', 'nur intern (für die Mitglieder der Kooperation)')], default='all-rights-reserved', help_text='„Nur intern“ kann nicht veröffentlicht werden.', max_length=20, verbose_name='Lizenz'),
        ),
        migrations.AlterField(
            model_name='document',
            name='licence',
            field=models.CharField(choices=[('cc-by-4.0', 'CC BY 4.0 (frei nutzbar mit Namensnennung)'), ('cc-by-sa-4.0', 'CC BY-SA 4.0 (Namensnennung, Weitergabe unter gleichen Bedingungen)'), ('all-rights-reserved', 'alle Rechte vorbehalten'), ('internal', 'nur intern (für die Mitglieder der Kooperation)')], default='cc-by-4.0', help_text='„Nur intern“ kann nicht veröffentlicht werden.', max_length=20, verbose_name='Lizenz'),
        ),
        migrations.AddField(
            model_name='document',
            name='publication_kind',
            field=models.CharField(choices=[('handbook', 'Handreichung'), ('module', 'Modul'), ('documentation', 'Dokumentation'), ('report', 'Bericht'), ('concept', 'Konzept'), ('other', 'Dokument')], default='other', max_length=20, verbose_name='Art der Veröffentlichung'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.CheckConstraint(condition=models.Q(('licence__in', ['cc-by-4.0', 'cc-by-sa-4.0', 'all-rights-reserved', 'internal'])), name='document_licence_valid'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.CheckConstraint(condition=models.Q(('is_public', False), models.Q(('licence', 'internal'), _negated=True), _connector='OR'), name='internal_document_never_public'),
        ),
    ]
