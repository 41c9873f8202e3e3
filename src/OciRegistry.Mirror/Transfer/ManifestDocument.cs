using OciRegistry.Core.Digests;

namespace OciRegistry.Mirror.Transfer;

/// <summary>A manifest in transit: its exact bytes, the media type they are served with, and their digest.</summary>
internal sealed record ManifestDocument(Digest Digest, string MediaType, byte[] Bytes);
