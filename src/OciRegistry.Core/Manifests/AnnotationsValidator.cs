namespace OciRegistry.Core.Manifests;

/// <summary>Checks an <c>annotations</c> map: JSON lets a value be null, the OCI spec wants strings only.</summary>
internal static class AnnotationsValidator
{
    /// <summary>True when no value is null.</summary>
    public static bool AreValid(Dictionary<string, string> annotations)
    {
        foreach (var value in annotations.Values)
        {
            if (value is null)
            {
                return false;
            }
        }

        return true;
    }
}
