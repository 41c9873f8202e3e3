using OciRegistry.Core.Storage;

namespace OciRegistry.Core.Operations;

/// <summary>A manifest as served: what is known of it and its exact bytes.</summary>
/// <param name="Record">Its digest, media type and size.</param>
/// <param name="Bytes">The bytes exactly as pushed.</param>
public sealed record ManifestContent(ManifestRecord Record, ReadOnlyMemory<byte> Bytes);
