using Azure.Storage.Blobs.Models;

namespace OciRegistry.Storage.AzureBlob;

/// <summary>One block of a staging blob: its id and how many bytes it holds.</summary>
internal readonly record struct StagedBlock(string Id, long Size);

/// <summary>
/// The bytes a staging blob holds in upload order, read from its block list: the committed blocks, then the staged
/// (uncommitted) blocks that continue them, each starting where the one before ended.
/// </summary>
/// <remarks>
/// PATCHes only stage their blocks, so the recorded bytes are the committed blocks and a chain of staged ones. Below
/// the session's recorded length that chain is unique: a writer that opens at the recorded length drops every staged
/// block at or beyond it (a stale or crashed writer's) before it stages its own. Beyond it, a stale writer's blocks may
/// start at the same offset as another's; the chain stops there, as it does at a gap.
/// </remarks>
internal sealed class BlockChain
{
    private BlockChain(List<StagedBlock> blocks, int committed, long committedLength, bool hasStrays)
    {
        Blocks = blocks;
        Committed = committed;
        CommittedLength = committedLength;
        HasStrays = hasStrays;
    }

    /// <summary>The chain, committed blocks first.</summary>
    public List<StagedBlock> Blocks { get; }

    /// <summary>How many of <see cref="Blocks"/> are committed.</summary>
    public int Committed { get; }

    /// <summary>The length of the committed blob.</summary>
    public long CommittedLength { get; }

    /// <summary>Whether staged blocks outside the chain exist (the next commit discards them).</summary>
    public bool HasStrays { get; }

    /// <summary>The bytes the chain holds.</summary>
    public long Length => Blocks.Sum(block => block.Size);

    public static BlockChain Of(BlockList list)
    {
        var blocks = list.CommittedBlocks.Select(block => new StagedBlock(block.Name, block.SizeLong)).ToList();
        var committedLength = blocks.Sum(block => block.Size);
        var byOffset = new Dictionary<long, List<StagedBlock>>();
        var staged = 0;
        foreach (var block in list.UncommittedBlocks)
        {
            staged++;
            if (block.SizeLong > 0 && StagedBlocks.TryParseOffset(block.Name, out var offset))
            {
                if (!byOffset.TryGetValue(offset, out var candidates))
                {
                    byOffset[offset] = candidates = [];
                }

                candidates.Add(new StagedBlock(block.Name, block.SizeLong));
            }
        }

        var end = committedLength;
        var chained = 0;
        while (byOffset.TryGetValue(end, out var next) && next.Count == 1)
        {
            blocks.Add(next[0]);
            end += next[0].Size;
            chained++;
        }

        return new BlockChain(blocks, list.CommittedBlocks.Count(), committedLength, staged > chained);
    }
}
