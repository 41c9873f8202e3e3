using FsCheck.Xunit;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

public sealed class StagedBlocksTests
{
    // A block blob holds at most 50,000 committed blocks.
    private const int AzureBlockLimit = 50_000;

    [Fact]
    public void A5TiBBlobWrittenWhole_FitsInFewerBlocksThanAzureAllows_WithRoomToSpare() =>
        Assert.InRange(BlocksOf5TiB(StagedBlocks.BlockBytes), 1, AzureBlockLimit - 8_000);

    [Fact]
    public void A5TiBUploadInOnePatch_InPatchBlocks_LeavesRoomForTheEndOfEachPatch() =>
        Assert.InRange(BlocksOf5TiB(StagedBlocks.PatchBlockBytes), 1, AzureBlockLimit - 7_500);

    // A PATCH's end (the bytes short of a full block) is one block, so a PATCH costs at most one block more than its
    // full blocks, whatever the PATCHes.
    [Property]
    public bool APatchsEnd_IsNeverSplit(ulong offsetSeed, uint endSeed)
    {
        var offset = (long)(offsetSeed % (5UL << 40));
        var end = (int)(endSeed % (uint)StagedBlocks.PatchBlockBytes(offset));
        return StagedBlocks.Pieces(offset, end) == 1;
    }

    [Property]
    public bool PatchBlocks_AreAtLeast2MiB_AndNoLargerThanAWholeBlobsBlocks(ulong offsetSeed)
    {
        var offset = (long)(offsetSeed % (5UL << 40));
        var size = StagedBlocks.PatchBlockBytes(offset);
        return size >= 2 * 1024 * 1024 && size <= StagedBlocks.BlockBytes(offset) && size % (1024 * 1024) == 0;
    }

    [Theory]
    [InlineData(0L, 2 * 1024 * 1024)]
    [InlineData(2L << 30, 2 * 1024 * 1024)]
    [InlineData(4L << 30, 4 * 1024 * 1024)]
    [InlineData(16L << 30, StagedBlocks.MinBlockBytes)]
    [InlineData(1L << 40, 175 * 1024 * 1024)]
    public void PatchBlockSize_GrowsWithTheOffset_FromSmallerBlocksThanAWholeBlobs(long offset, int expected) =>
        Assert.Equal(expected, StagedBlocks.PatchBlockBytes(offset));

    [Theory]
    [InlineData(0L, 8 * 1024 * 1024, 4)]
    [InlineData(0L, 2 * 1024 * 1024, 2)]
    [InlineData(0L, 1024 * 1024, 1)]
    [InlineData(2L << 30, 4 * 1024 * 1024, 2)]
    [InlineData(2L << 30, 8 * 1024 * 1024, 4)]
    [InlineData(16L << 30, 8 * 1024 * 1024, 1)]
    public void AWholeBlobsEnd_IsSplitInPiecesThatGrowWithTheOffset(long offset, int bytes, int expected) =>
        Assert.Equal(expected, StagedBlocks.Pieces(offset, bytes));

    [Theory]
    [InlineData(0L, StagedBlocks.MinBlockBytes)]
    [InlineData(1L << 40, 175 * 1024 * 1024)]
    [InlineData(4L << 40, StagedBlocks.MaxBlockBytes)]
    public void BlockSize_GrowsWithTheOffset_WithinBounds(long offset, int expected) =>
        Assert.Equal(expected, StagedBlocks.BlockBytes(offset));

    [Fact]
    public void BlockIds_OfTwoWriters_AtOneOffset_Differ_AndAllHaveOneLength()
    {
        var first = StagedBlocks.Id(8 << 20, Guid.NewGuid());
        var second = StagedBlocks.Id(8 << 20, Guid.NewGuid());

        Assert.NotEqual(first, second);
        Assert.Equal(first.Length, second.Length);
        Assert.Equal(first.Length, StagedBlocks.Id(long.MaxValue, Guid.NewGuid()).Length);
    }

    private static int BlocksOf5TiB(Func<long, int> blockBytesAt)
    {
        var blocks = 0;
        for (var offset = 0L; offset < 5L << 40; offset += blockBytesAt(offset))
        {
            blocks++;
        }

        return blocks;
    }
}
