using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Authorization;
using OciRegistry.AspNetCore.Ui.Components;
using OciRegistry.AspNetCore.Ui.Data;
using OciRegistry.AspNetCore.Ui.Maintenance;
using OciRegistry.Core.Digests;
using OciRegistry.Core.Operations;
using OciRegistry.Core.References;
using OciRegistry.Core.Storage;

namespace OciRegistry.AspNetCore.Ui.Endpoints;

/// <summary>
/// The interface's request handlers. Each authorizes its <see cref="RegistryResource"/> through <see cref="UiAccess"/>
/// first: lists and the repository pages need pull (a repository the caller may not pull is "not found", as if it did not
/// exist), deletes need delete, registry-wide pages (storage, maintenance, uploads) the catalog right. Forms post with an
/// antiforgery token and answer with a redirect (post/redirect/get), so reloading never repeats an action.
/// </summary>
internal sealed class UiEndpoints(
    UiAccess access,
    UiPages pages,
    RepositoryBrowser browser,
    ImageInspector inspector,
    DeletePreviewer previewer,
    MaintenanceRuns maintenance,
    ManifestOperations manifests,
    IMetadataStore metadata,
    IUploadStore uploads,
    IAntiforgery antiforgery,
    IOptions<RegistryOptions> registryOptions,
    IOptions<OciRegistryUiOptions> options)
{
    public async Task<IResult> RepositoriesAsync(HttpContext context)
    {
        var search = Query(context, "q");
        var after = Query(context, "after");
        var allowed = await access.AuthorizeAsync(context, RegistryResource.Catalog).ConfigureAwait(false);
        if (allowed == RegistryAuthorizationResult.Challenge)
        {
            return await ChallengeAsync(context, RegistryResource.Catalog).ConfigureAwait(false);
        }

        var page = allowed == RegistryAuthorizationResult.Allowed
            ? await browser.ListAsync(context, search, after, context.RequestAborted).ConfigureAwait(false)
            : null;
        return UiPages.Render<RepositoriesPage>(new() { ["Frame"] = pages.Frame(context), ["Page"] = page, ["Search"] = search, ["After"] = after });
    }

    public async Task<IResult> TagsAsync(HttpContext context)
    {
        var repository = Query(context, "repository");
        var (refused, name) = await RefuseRepositoryAsync(context, repository, RegistryAction.Pull).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var order = Query(context, "order") switch
        {
            "newest" => TagOrder.Newest,
            "oldest" => TagOrder.Oldest,
            _ => TagOrder.Name,
        };
        var filter = Query(context, "filter");
        var after = Query(context, "after");
        var summary = await browser.SummarizeAsync(name, context.RequestAborted).ConfigureAwait(false);
        var tags = await browser.ListTagsAsync(name, filter, order, after, context.RequestAborted).ConfigureAwait(false);
        var notice = Query(context, "deleted") is { } deleted ? $"Deleted {deleted}." : null;
        return UiPages.Render<TagsPage>(new()
        {
            ["Frame"] = pages.Frame(context, notice),
            ["Repository"] = repository,
            ["Summary"] = summary,
            ["Tags"] = tags,
            ["Filter"] = filter,
            ["Order"] = order,
            ["After"] = after,
            ["CanDelete"] = await CanDeleteAsync(context, repository!).ConfigureAwait(false),
        });
    }

    public async Task<IResult> ImageAsync(HttpContext context)
    {
        var repository = Query(context, "repository");
        if ((await RefuseRepositoryAsync(context, repository, RegistryAction.Pull).ConfigureAwait(false)).Refused is { } refused)
        {
            return refused;
        }

        var reference = Query(context, "reference") ?? "latest";
        var image = await inspector.InspectAsync(repository!, reference, context.RequestAborted).ConfigureAwait(false);
        if (!image.IsSuccess)
        {
            return pages.Message(context, StatusCodes.Status404NotFound, "Not found", $"{repository} has no manifest {reference} ({image.Error!.Message}).");
        }

        return UiPages.Render<ImagePage>(new()
        {
            ["Frame"] = pages.Frame(context),
            ["Image"] = image.Value,
            ["CanDelete"] = await CanDeleteAsync(context, repository!).ConfigureAwait(false),
        });
    }

    public async Task<IResult> DeletePreviewAsync(HttpContext context)
    {
        var repository = Query(context, "repository");
        if (await RefuseDeleteAsync(context, repository).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var text = Query(context, "reference") ?? "";
        if (ManifestReference.TryParse(text, out var reference) != DigestParseStatus.Valid
            || !(await manifests.ResolveAsync(repository!, text, context.RequestAborted).ConfigureAwait(false)).IsSuccess)
        {
            return pages.Message(context, StatusCodes.Status404NotFound, "Not found", $"{repository} has no tag or manifest {text}.");
        }

        var preview = await previewer.PreviewAsync(repository!, reference, context.RequestAborted).ConfigureAwait(false);
        return UiPages.Render<DeletePage>(new() { ["Frame"] = pages.Frame(context), ["Preview"] = preview });
    }

    public async Task<IResult> DeleteAsync(HttpContext context)
    {
        if (await ReadFormAsync(context).ConfigureAwait(false) is not { } form)
        {
            return FormExpired(context);
        }

        var repository = form["repository"].ToString();
        if (await RefuseDeleteAsync(context, repository).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var reference = form["reference"].ToString();
        var deleted = await manifests.DeleteAsync(repository, reference, context.RequestAborted).ConfigureAwait(false);
        if (!deleted.IsSuccess)
        {
            return pages.Message(context, StatusCodes.Status409Conflict, "Not deleted", $"{repository}: {reference} was not deleted ({deleted.Error!.Message}).");
        }

        return Results.Redirect(pages.Frame(context).Url("/tags", ("repository", repository), ("deleted", reference)), preserveMethod: false);
    }

    public async Task<IResult> StorageAsync(HttpContext context)
    {
        if (await RefuseRegistryWideAsync(context).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var overview = await metadata.GetBlobLinkStatisticsAsync(context.RequestAborted).ConfigureAwait(false);
        return UiPages.Render<StoragePage>(new() { ["Frame"] = pages.Frame(context), ["Overview"] = overview });
    }

    public async Task<IResult> MaintenanceAsync(HttpContext context)
    {
        if (await RefuseRegistryWideAsync(context).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        return UiPages.Render<MaintenancePage>(new() { ["Frame"] = pages.Frame(context), ["Runs"] = maintenance.Status });
    }

    public Task<IResult> PreviewCollectionAsync(HttpContext context) =>
        MaintenanceActionAsync(context, () => maintenance.PreviewCollectionAsync(context.RequestAborted));

    public Task<IResult> VerifyAsync(HttpContext context) =>
        MaintenanceActionAsync(context, () =>
        {
            maintenance.StartVerify();
            return Task.CompletedTask;
        });

    public async Task<IResult> UploadsAsync(HttpContext context)
    {
        if (await RefuseRegistryWideAsync(context).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var sessions = new List<UploadSession>();
        await foreach (var session in uploads.ListAsync(context.RequestAborted).ConfigureAwait(false))
        {
            if (await access.CanPullAsync(context, session.Repository.Value).ConfigureAwait(false))
            {
                sessions.Add(session);
            }
        }

        sessions.Sort((a, b) => a.StartedAt.CompareTo(b.StartedAt));
        return UiPages.Render<UploadsPage>(new() { ["Frame"] = pages.Frame(context), ["Sessions"] = sessions });
    }

    public IResult LoginForm(HttpContext context) =>
        options.Value.CheckPassword is null
            ? Results.NotFound()
            : UiPages.Render<LoginPage>(new() { ["Frame"] = pages.Frame(context), ["ReturnUrl"] = Query(context, "returnUrl") });

    public async Task<IResult> LoginAsync(HttpContext context)
    {
        if (options.Value is not { CheckPassword: { } checkPassword, AuthenticationScheme: { } scheme })
        {
            return Results.NotFound();
        }

        if (await ReadFormAsync(context).ConfigureAwait(false) is not { } form)
        {
            return FormExpired(context);
        }

        var user = form["user"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (user.Length == 0 || !await checkPassword(context, user, form["password"].ToString()).ConfigureAwait(false))
        {
            return UiPages.Render<LoginPage>(
                new() { ["Frame"] = pages.Frame(context), ["ReturnUrl"] = returnUrl, ["Failed"] = true },
                StatusCodes.Status401Unauthorized);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], scheme);
        await context.SignInAsync(scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return Results.Redirect(LocalReturnUrl(context, returnUrl), preserveMethod: false);
    }

    public async Task<IResult> LogoutAsync(HttpContext context)
    {
        if (options.Value.AuthenticationScheme is { } scheme && await ReadFormAsync(context).ConfigureAwait(false) is not null)
        {
            await context.SignOutAsync(scheme).ConfigureAwait(false);
        }

        return Results.Redirect(pages.Frame(context).Url("/"), preserveMethod: false);
    }

    private async Task<IResult> MaintenanceActionAsync(HttpContext context, Func<Task> action)
    {
        if (await ReadFormAsync(context).ConfigureAwait(false) is null)
        {
            return FormExpired(context);
        }

        if (await RefuseRegistryWideAsync(context).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        await action().ConfigureAwait(false);
        return Results.Redirect(pages.Frame(context).Url("/maintenance"), preserveMethod: false);
    }

    /// <summary>
    /// Refuses an invalid name, a repository the caller may not <paramref name="action"/>, or one that does not exist;
    /// otherwise the parsed name, which the page passes on (parsed once per request).
    /// </summary>
    private async Task<(IResult? Refused, RepositoryName Name)> RefuseRepositoryAsync(HttpContext context, string? repository, RegistryAction action)
    {
        if (!RepositoryName.TryParse(repository, out var name))
        {
            return (pages.Message(context, StatusCodes.Status400BadRequest, "Invalid name", $"“{repository}” is not a repository name."), name);
        }

        var resource = new RegistryResource(repository, action);
        var result = await access.AuthorizeAsync(context, resource).ConfigureAwait(false);
        if (result == RegistryAuthorizationResult.Challenge)
        {
            return (await ChallengeAsync(context, resource).ConfigureAwait(false), name);
        }

        // Not allowed reads exactly like not there: the interface must not reveal which names exist.
        if (result != RegistryAuthorizationResult.Allowed || !await metadata.RepositoryExistsAsync(name, context.RequestAborted).ConfigureAwait(false))
        {
            return (pages.Message(context, StatusCodes.Status404NotFound, "Not found", $"There is no repository {repository} you may see."), name);
        }

        return (null, name);
    }

    private async Task<IResult?> RefuseDeleteAsync(HttpContext context, string? repository)
    {
        if ((await RefuseRepositoryAsync(context, repository, RegistryAction.Pull).ConfigureAwait(false)).Refused is { } hidden)
        {
            return hidden;
        }

        if (!registryOptions.Value.DeletesEnabled)
        {
            return pages.Message(context, StatusCodes.Status405MethodNotAllowed, "Deletes are off", "This registry does not allow deletes.");
        }

        var resource = new RegistryResource(repository, RegistryAction.Delete);
        return await access.AuthorizeAsync(context, resource).ConfigureAwait(false) switch
        {
            RegistryAuthorizationResult.Allowed => null,
            RegistryAuthorizationResult.Challenge => await ChallengeAsync(context, resource).ConfigureAwait(false),
            _ => pages.Message(context, StatusCodes.Status403Forbidden, "Not allowed", $"You may not delete in {repository}."),
        };
    }

    private async Task<IResult?> RefuseRegistryWideAsync(HttpContext context) =>
        await access.AuthorizeAsync(context, RegistryResource.Catalog).ConfigureAwait(false) switch
        {
            RegistryAuthorizationResult.Allowed => null,
            RegistryAuthorizationResult.Challenge => await ChallengeAsync(context, RegistryResource.Catalog).ConfigureAwait(false),
            _ => pages.Message(context, StatusCodes.Status403Forbidden, "Not allowed", "This page needs the right to list the registry (catalog)."),
        };

    private async Task<bool> CanDeleteAsync(HttpContext context, string repository) =>
        registryOptions.Value.DeletesEnabled && await access.AllowsAsync(context, new RegistryResource(repository, RegistryAction.Delete)).ConfigureAwait(false);

    /// <summary>
    /// Asks an anonymous caller to sign in: the login form when there is one, else the registry's own challenge
    /// (a Basic prompt, or the host's default scheme, which may redirect to the host's login page).
    /// </summary>
    private async Task<IResult> ChallengeAsync(HttpContext context, RegistryResource resource)
    {
        var frame = pages.Frame(context);
        if (options.Value.CheckPassword is not null)
        {
            return Results.Redirect(frame.Url("/login", ("returnUrl", context.Request.PathBase + context.Request.Path + context.Request.QueryString)));
        }

        await access.ChallengeAsync(context, resource).ConfigureAwait(false);
        if (context.Response.HasStarted || context.Response.StatusCode is >= 300 and < 400)
        {
            return Results.Empty;
        }

        return pages.Message(context, StatusCodes.Status401Unauthorized, "Sign in required", "Sign in to see this registry.");
    }

    private IResult FormExpired(HttpContext context) =>
        pages.Message(context, StatusCodes.Status400BadRequest, "Form expired", "The form was missing its token or had expired; go back, reload and try again.");

    private async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return null;
        }

        return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The return URL when it is a path of this interface; otherwise the interface's start page (no open redirect).</summary>
    private string LocalReturnUrl(HttpContext context, string returnUrl)
    {
        var home = pages.Frame(context).Url("/");
        var prefix = home.TrimEnd('/');
        return returnUrl.StartsWith(prefix + "/", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : home;
    }

    private static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } text ? text : null;
}
