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
