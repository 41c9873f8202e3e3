using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

public sealed class StagedBlocksTests
{
    // A block blob holds at most 50,000 committed blocks.
    private const int AzureBlockLimit = 50_000;

    [Fact]
    public void A5TiBUploadInOnePatch_FitsInFewerBlocksThanAzureAllows_WithRoomForPatchEnds()
    {
        const long total = 5L << 40;
        var blocks = 0;
        for (var offset = 0L; offset < total; offset += StagedBlocks.BlockBytes(offset))
        {
            blocks++;
        }

        Assert.InRange(blocks, 1, AzureBlockLimit - 8_000);
    }

    // The end of each PATCH goes as up to four blocks. The most extra blocks that can cost: every PATCH's end exactly four
    // of the smallest pieces at its offset, from the start of the upload until its ends are no longer split.
    [Fact]
    public void SplitPatchEnds_CostAtMost3000ExtraBlocks_WhateverThePatches()
    {
        var extra = 0;
        var offset = 0L;
        while (StagedBlocks.Pieces(offset, StagedBlocks.BlockBytes(offset) - 1) > 1)
        {
            var pieceBytes = (int)Math.Max(1024 * 1024, offset / 1024);
            var end = Math.Min(4 * pieceBytes, StagedBlocks.BlockBytes(offset) - 1);
            extra += StagedBlocks.Pieces(offset, end) - 1;
            offset += end;
        }

        Assert.InRange(extra, 1, 3_000);
        Assert.InRange(offset, 1L << 30, 8L << 30);
    }

    [Theory]
    [InlineData(0L, 8 * 1024 * 1024, 4)]
    [InlineData(0L, 2 * 1024 * 1024, 2)]
    [InlineData(0L, 1024 * 1024, 1)]
    [InlineData(2L << 30, 4 * 1024 * 1024, 2)]
    [InlineData(2L << 30, 8 * 1024 * 1024, 4)]
    [InlineData(16L << 30, 8 * 1024 * 1024, 1)]
    public void APatchsEnd_IsSplitInPiecesThatGrowWithTheOffset(long offset, int bytes, int expected) =>
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
}
