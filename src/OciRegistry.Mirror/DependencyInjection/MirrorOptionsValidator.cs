using Microsoft.Extensions.Options;
using OciRegistry.Mirror;

namespace Microsoft.Extensions.DependencyInjection;

internal sealed class MirrorOptionsValidator : IValidateOptions<MirrorOptions>
{
    public ValidateOptionsResult Validate(string? name, MirrorOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
