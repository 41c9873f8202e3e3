using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OciRegistry.AspNetCore.Ui.Components;

namespace OciRegistry.AspNetCore.Ui.Endpoints;

/// <summary>Renders pages: the frame every page shares, and the component with its parameters.</summary>
internal sealed class UiPages(IAntiforgery antiforgery, IOptions<OciRegistryUiOptions> options)
{
    public UiFrame Frame(HttpContext context, string? notice = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var prefix = context.Request.PathBase + UiRoutes.PrefixOf(context);
        var host = options.Value.RegistryHost ?? context.Request.Host.Value ?? "localhost";
        return new UiFrame(
            prefix,
            context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null,
            options.Value.CheckPassword is not null,
            tokens.FormFieldName,
            tokens.RequestToken ?? "",
            host,
            notice);
    }

    public static IResult Render<TComponent>(Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        new RazorComponentResult<TComponent>(parameters) { StatusCode = status };

    public IResult Message(HttpContext context, int status, string title, string message) =>
        Render<MessagePage>(new() { ["Frame"] = Frame(context), ["Title"] = title, ["Message"] = message }, status);
}
