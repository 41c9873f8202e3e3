using Microsoft.Extensions.Options;
using OciRegistry.Core.Maintenance;

namespace Microsoft.Extensions.DependencyInjection;

internal sealed class GarbageCollectionOptionsValidator : IValidateOptions<GarbageCollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, GarbageCollectionOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
