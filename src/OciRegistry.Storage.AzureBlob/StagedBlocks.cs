using System.Buffers.Binary;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>How an upload's bytes are cut into the blocks of its staging blob, and what the blocks are called.</summary>
internal static class StagedBlocks
{
    /// <summary>The block size of a blob written whole, for its first 46 GiB.</summary>
    public const int MinBlockBytes = 8 * 1024 * 1024;

    /// <summary>The largest block a writer buffers (it then holds two: one filling, one being sent).</summary>
    public const int MaxBlockBytes = 256 * 1024 * 1024;

    // A block blob holds at most 50,000 committed blocks. Blocks of offset / 6000 (from 8 MiB, up to 256 MiB) put a
    // 5 TiB blob into about 41,000 blocks (6,000 to 46 GiB, 6000·ln 32 ≈ 20,800 to 1.5 TiB, then 256 MiB ones).
    private const long GrowthDivisor = 6000;
    private const int Mebibyte = 1024 * 1024;

    // The last bytes of a write go as up to four blocks of at least offset / 1024 (from 1 MiB), sent at once. A PATCH's
    // end is shorter than its block (PatchBlockBytes), so only a blob written whole has its end split, once, and only
    // below 4 GiB. Pieces of 256 KiB made a run of 1 MiB PATCHes slower
    // (1.43× the time, side by side on the loaded machine): four requests cost more than they overlap.
    private const int MaxPieces = 4;
    private const int MinPieceBytes = 1024 * 1024;
    private const long PieceDivisor = 1024;

    // A PATCH's blocks start at 2 MiB and grow with offset / 1024 up to the size above (reached at 8 GiB): a chunked
    // client waits for each PATCH to be stored, so its first block goes out (confirming the lease,
    // AzureBlobUploadWriter) after 2 MiB rather than 8, and only one such block waits for the PATCH's last byte. 2 MiB blocks
    // made 16 MiB PATCHes faster side by side, 1 MiB ones cost more CPU and were not faster, and a blob pushed whole
    // was slower in 2 MiB blocks (benchmarks/RESULTS-OBJECT-STORAGE.md). A 5 TiB upload then takes about 42,200
    // blocks, leaving 7,800 for the short last block of each PATCH; StagedBlocksTests checks the sum.
    private const int MinPatchBlockBytes = 2 * Mebibyte;
    private const long PatchGrowthDivisor = 1024;

    /// <summary>The size of the block that starts at <paramref name="offset"/> of a blob written whole.</summary>
    public static int BlockBytes(long offset) => (int)Math.Clamp(RoundUpToMebibyte(offset / GrowthDivisor), MinBlockBytes, MaxBlockBytes);

    /// <summary>The size of the block that starts at <paramref name="offset"/> of an upload written by PATCHes.</summary>
    public static int PatchBlockBytes(long offset) =>
        (int)Math.Clamp(RoundUpToMebibyte(offset / PatchGrowthDivisor), MinPatchBlockBytes, BlockBytes(offset));

    private static long RoundUpToMebibyte(long bytes) => (bytes + Mebibyte - 1) / Mebibyte * Mebibyte;

    /// <summary>How many blocks at once the last <paramref name="bytes"/> of a write, from <paramref name="offset"/>, go as.</summary>
    public static int Pieces(long offset, int bytes) => (int)Math.Clamp(bytes / Math.Max(MinPieceBytes, offset / PieceDivisor), 1, MaxPieces);

    /// <summary>
    /// The id of the block a writer stages at <paramref name="offset"/>: the offset and the writer's own random id, so
    /// two writers never stage blocks of the same id (a stale writer's block can never stand in for a live one's).
    /// Every id has the same length, as Azure requires of one blob's blocks.
    /// </summary>
    public static string Id(long offset, Guid writer)
    {
        Span<byte> id = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(id, offset);
        writer.TryWriteBytes(id[8..]);
        return Convert.ToBase64String(id);
    }

    /// <summary>The upload offset a block of <see cref="Id"/>'s form starts at; false for any other id.</summary>
    public static bool TryParseOffset(string id, out long offset)
    {
        Span<byte> bytes = stackalloc byte[24];
        offset = 0;
        if (id.Length != 32 || !Convert.TryFromBase64String(id, bytes, out var written) || written != bytes.Length)
        {
            return false;
        }

        offset = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return offset >= 0;
    }
}
