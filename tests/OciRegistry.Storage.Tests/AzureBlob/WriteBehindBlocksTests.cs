using FsCheck.Xunit;
using OciRegistry.Storage.AzureBlob;

namespace OciRegistry.Storage.Tests.AzureBlob;

/// <summary>How much of an upload acknowledged before staging is in flight to Azure at once.</summary>
public sealed class WriteBehindBlocksTests
{
    private const long FortyMiB = 40L * 1024 * 1024;

    // However large the blocks grow with the offset (up to 256 MiB for a 5 TiB blob), the blocks in flight at once hold
    // at most 40 MiB, or one block once a block alone is larger: the memory a session holds stays bounded.
    [Property]
    public bool TheBlocksInFlightAtOnce_HoldAtMost40MiB_OrOneBlock(ulong seed)
    {
        var offset = (long)(seed % (5UL << 40));
        var slots = WriteBehindBlocks.SlotsFor(offset);
        var atOnce = WriteBehindBlocks.InFlightSlots / slots;
        var block = StagedBlocks.BlockBytes(offset);
        return slots >= 1 && atOnce >= 1 && atOnce * (long)block <= Math.Max(FortyMiB, block);
    }

    // The first 46 GiB go in blocks of 8 MiB, five at once, as the SDK's own parallel upload sends them.
    [Theory]
    [InlineData(0L)]
    [InlineData(46L << 30)]
    public void BlocksOfEightMiB_GoFiveAtOnce(long offset) =>
        Assert.Equal(5, WriteBehindBlocks.InFlightSlots / WriteBehindBlocks.SlotsFor(offset));
}
