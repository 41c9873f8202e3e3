using System.Runtime.InteropServices;
using OciRegistry.AspNetCore.Transport;

namespace OciRegistry.AspNetCore.Tests.Transport;

public sealed class LargeBlockMemoryPoolTests
{
    private const int BlockSize = 64 * 1024;

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(BlockSize)]
    public void Rent_GivesAWholeBlock_WhateverTheSizeAskedUpToIt(int minimumSize)
    {
        using var pool = new LargeBlockMemoryPool(BlockSize);
        using var block = pool.Rent(minimumSize);

        Assert.Equal(BlockSize, block.Memory.Length);
        Assert.Equal(BlockSize, pool.MaxBufferSize);
    }

    [Fact]
    public void Rent_OfMoreThanABlock_IsRefused()
    {
        using var pool = new LargeBlockMemoryPool(BlockSize);

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(BlockSize + 1));
    }

    [Fact]
    public void AReturnedBlock_IsRentedAgain()
    {
        using var pool = new LargeBlockMemoryPool(BlockSize);
        var first = pool.Rent();
        var array = ArrayOf(first);
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(array, ArrayOf(second));
        Assert.Equal(0, pool.RetainedBlocks);
    }

    [Fact]
    public void ABlockReturnedTwice_IsKeptOnce_SoTwoRentersNeverShareIt()
    {
        using var pool = new LargeBlockMemoryPool(BlockSize);
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();
        Assert.Equal(1, pool.RetainedBlocks);

        using var first = pool.Rent();
        using var second = pool.Rent();

        Assert.NotSame(ArrayOf(first), ArrayOf(second));
    }

    [Fact]
    public void ReturnedBlocks_AreKept_OnlyUpToTheRetentionLimit()
    {
        const int blockSize = LargeBlockMemoryPool.RetainedBytes / 2;
        using var pool = new LargeBlockMemoryPool(blockSize);
        var blocks = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(block => block.Dispose());

        Assert.Equal(2, pool.RetainedBlocks);
    }

    [Fact]
    public void ADisposedPool_RentsNothing_AndKeepsNothingReturned()
    {
        var pool = new LargeBlockMemoryPool(BlockSize);
        var block = pool.Rent();
        pool.Dispose();

        block.Dispose();

        Assert.Equal(0, pool.RetainedBlocks);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public void BlocksSmallerThanAPage_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LargeBlockMemoryPool(4095));
    }

    private static byte[] ArrayOf(System.Buffers.IMemoryOwner<byte> block)
    {
        Assert.True(MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment));
        return segment.Array!;
    }
}
