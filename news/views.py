"""News pages: the public news page, the members' news, a workspace's news, a post with comments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form
from lib.pagination import paginate
from lib.storage import StorageUnavailable, open_for_reading, unavailable_response
from scanning.actions import held_response
from tasks.access import can_edit_tasks
from workspaces.access import can_view, get_workspace_for_user

from . import actions, kept_images
from .access import (
    can_comment,
    can_delete_comment,
    can_edit,
    can_set_public,
    can_view_post,
    can_write_in,
    get_comment_for_user,
    get_post_for_user,
    is_insider,
    posts_visible_to,
)
from .forms import CommentForm, PostForm
from .models import Post

PAGE_SIZE = 20


def _page(request, qs):
    qs = (
        qs.select_related("workspace", "author__person")
        .annotate(comment_count=Count("comments"))
        .order_by("-published_at", "-pk")
    )
    return paginate(request, qs, PAGE_SIZE)[0]


def public_news(request):
    posts = posts_visible_to(request.user).filter(is_public=True)
    return render(request, "news/public_list.html", {"page": _page(request, posts)})


@login_required
def news_list(request):
    drafts = Post.objects.filter(published_at__isnull=True, author=request.user).select_related("workspace")
    return render(
        request,
        "news/list.html",
        {"page": _page(request, posts_visible_to(request.user)), "drafts": drafts, "can_write": can_write_in(request.user, None)},
    )


def workspace_news(request, slug: str):
    try:
        workspace = get_workspace_for_user(request.user, slug)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    if not can_view(request.user, workspace):
        raise Http404
    posts = posts_visible_to(request.user).filter(workspace=workspace)
    drafts = []
    if can_write_in(request.user, workspace):  # each draft only to whom it is open (its author, the managers)
        for draft in workspace.news_posts.filter(published_at__isnull=True):
            draft.workspace = workspace
            if can_view_post(request.user, draft):
                drafts.append(draft)
    return render(
        request,
        "news/workspace_list.html",
        {
            "workspace": workspace,
            "page": _page(request, posts),
            "drafts": drafts,
            "can_write": can_write_in(request.user, workspace),
        },
    )


def _create(request, workspace):
    if not can_write_in(request.user, workspace):
        raise Http404
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        may_set_public=can_set_public(request.user, workspace),
        author=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.create_post(
                request.user,
                workspace,
                title=data["title"],
                body=data["body"],
                image=data.get("image"),
                image_alt=data.get("image_alt", ""),
                is_public=data.get("is_public", False),
                publish=data.get("publish", False),
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            kept_images.discard(form.kept)
            messages.success(
                request, _("Der Beitrag wurde veröffentlicht.") if post.is_published else _("Der Entwurf wurde gespeichert.")
            )
            return redirect(post)
    if request.method == "POST":
        form.keep_image()
    return render(request, "news/form.html", {"form": form, "workspace": workspace, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    return _create(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def workspace_post_create(request, slug: str):
    return _create(request, get_workspace_for_user(request.user, slug))


def post_detail(request, pk: int):
    try:
        post = get_post_for_user(request.user, pk)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    insider = is_insider(request.user, post.workspace)
    comments = list(post.comments.select_related("author__person")) if insider else []
    for comment in comments:
        comment.deletable = can_delete_comment(request.user, comment)
    return render(
        request,
        "news/detail.html",
        {
            "post": post,
            "workspace": post.workspace,
            "comments": comments,
            "show_comments": insider,
            "comment_form": CommentForm() if can_comment(request.user, post) else None,
            "can_edit": can_edit(request.user, post),
            "can_make_task": post.workspace is not None and post.is_published and can_edit_tasks(request.user, post.workspace),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    post = get_post_for_user(request.user, pk, write=True)
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        instance=post,
        initial={"version": post.version},
        may_set_public=can_set_public(request.user, post.workspace),
        author=request.user,
    )
    context = {"form": form, "workspace": post.workspace, "post": post, "creating": False}
    if request.method == "POST":
        fresh = Post.objects.select_related("workspace").get(pk=post.pk)

        def write(data):
            fields = {k: data[k] for k in ("title", "body", "image", "image_alt", "is_public") if k in data}
            if data.get("remove_image"):
                fields["image"], fields["image_alt"] = "", ""
            actions.update_post(request.user, fresh, data.get("version") or 0, publish=data.get("publish", False), **fields)

        if apply_edit(form, write):
            kept_images.discard(form.kept)
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect(fresh)
        form.keep_image()
        context["post"] = get_post_for_user(request.user, pk, write=True)  # the instances hold the typed values
        return render(request, "news/form.html", context, status=failed_status(form))
    return render(request, "news/form.html", context)


@login_required
@require_POST
def post_delete(request, pk: int):
    post = get_post_for_user(request.user, pk, write=True)
    workspace = post.workspace
    actions.delete_post(request.user, post)
    messages.success(request, _("Der Beitrag „%(title)s“ wurde gelöscht.") % {"title": post.title})
    return redirect("news:workspace", slug=workspace.slug) if workspace else redirect("news:list")


@login_required
@require_POST
def comment_create(request, pk: int):
    post = get_post_for_user(request.user, pk)
    if not can_comment(request.user, post):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = actions.add_comment(request.user, post, form.cleaned_data["body"])
        messages.success(request, _("Ihr Kommentar ist veröffentlicht."))
        return redirect(comment.get_absolute_url())
    comments = list(post.comments.select_related("author__person"))
    for comment in comments:
        comment.deletable = can_delete_comment(request.user, comment)
    return render(
        request,
        "news/detail.html",
        {
            "post": post,
            "workspace": post.workspace,
            "comments": comments,
            "show_comments": True,
            "comment_form": form,
            "can_edit": can_edit(request.user, post),
        },
        status=400,
    )


@login_required
@require_POST
def comment_delete(request, pk: int):
    comment = get_comment_for_user(request.user, pk)
    post = comment.post
    actions.delete_comment(request.user, comment)
    messages.success(request, _("Der Kommentar wurde gelöscht."))
    return redirect(post)


def post_image(request, pk: int):
    """Images go through the same access check as their post (uploads are not public files)."""
    post = get_post_for_user(request.user, pk)
    if not post.image:
        raise Http404
    held = held_response(post.image.name)
    if held is not None:
        return held
    try:
        handle = open_for_reading(post.image)
    except StorageUnavailable:
        return unavailable_response()
    except OSError:
        raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "public, max-age=3600" if post.is_public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
