using OciRegistry.Core.Digests;

namespace OciRegistry.Core.Operations;

/// <summary>The outcome of a manifest push.</summary>
/// <param name="Digest">The digest of the stored bytes.</param>
/// <param name="Subject">The subject's digest when the manifest has one (sent back as <c>OCI-Subject</c>).</param>
public sealed record PushedManifest(Digest Digest, Digest? Subject);
