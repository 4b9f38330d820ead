namespace RecordingFunctions.Tests.Support;

public static class AsyncEnumerables
{
    // Named apart from ToListAsync: System.Linq.Async (a transitive dependency) and .NET 10 both define that one.
    public static async Task<List<T>> CollectAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source) list.Add(item);
        return list;
    }
}
