namespace OciRegistry.Server.Startup;

/// <summary>The configuration cannot run: <see cref="Problems"/> names each mistake in one line.</summary>
internal sealed class ConfigurationProblemsException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
