namespace OciRegistry.Interop.Tests.OciLayout;

/// <summary>An image written into an OCI layout: its manifest, config and layers (in manifest order).</summary>
internal sealed record OciImage(OciDescriptor Manifest, OciDescriptor Config, IReadOnlyList<OciDescriptor> Layers);
