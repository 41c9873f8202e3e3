namespace OciRegistry.Storage.S3;

/// <summary>What a writer holds once its claim is written: the number it claimed and the state it appends to.</summary>
/// <param name="Claim">The state number the writer claimed; it records its closing state at the next.</param>
/// <param name="State">The state it claimed.</param>
/// <param name="Start">The pieces before its offset, cut from that state.</param>
internal sealed record S3WriterOpening(long Claim, S3UploadState State, S3WriterStart Start);
