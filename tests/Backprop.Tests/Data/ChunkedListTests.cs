using Backprop.Data;

namespace Backprop.Tests.Data;

public class ChunkedListTests
{
    [Fact]
    public void Values_survive_the_first_chunk_growing_and_later_chunks()
    {
        // 2.5 chunks: the first chunk grows from 16 values by doubling, then full-size chunks follow.
        const int count = (1 << 16) * 5 / 2;
        var list = new ChunkedList<int>();
        for (int i = 0; i < count; i++) list.Add(i * 7);
        Assert.Equal(count, list.Count);
        foreach (int i in new[] { 0, 15, 16, 17, 31, 32, 1000, 65_535, 65_536, 65_537, 131_071, 131_072, count - 1 })
        {
            Assert.Equal(i * 7, list[i]);
        }
        for (int i = 0; i < count; i++) Assert.Equal(i * 7, list[i]);
        list.Clear();
        Assert.Equal(0, list.Count);
        list.Add(5);
        Assert.Equal(5, list[0]);
    }
}
