using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using RecordingFunctions.Storage;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class RecordingArchiveTests(AzuriteFixture azurite)
{
    private readonly List<string> writes = [];

    private RecordingArchive NewArchive()
    {
        var options = new BlobClientOptions();
        options.AddPolicy(new WriteRecorder(writes), HttpPipelinePosition.PerCall);
        var container = "archive" + Guid.NewGuid().ToString("N")[..12];
        return new RecordingArchive(new BlobServiceClient(azurite.ConnectionString, options), Options.Create(new RecordingStorageOptions { Container = container }));
    }

    [Fact]
    public async Task A_file_that_fits_in_one_block_is_written_by_one_put_with_its_checksum()
    {
        var archive = NewArchive();
        var content = RandomNumberGenerator.GetBytes(300_000);

        var copied = await archive.UploadAsync("room/recording/transcript.txt", new NonSeekable(content), new Dictionary<string, string>(), "asset-1", CancellationToken.None);

        Assert.Equal(["PUT room/recording/transcript.txt"], writes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), copied.Sha256);
        Assert.Equal(content.Length, copied.Size);
        Assert.Equal(copied, await archive.FindCopyAsync("room/recording/transcript.txt", "asset-1", CancellationToken.None));
        var stored = await archive.DownloadAsync("room/recording/transcript.txt", CancellationToken.None);
        using var read = new MemoryStream();
        await stored!.Content.CopyToAsync(read);
        Assert.Equal(content, read.ToArray());
    }

    [Fact]
    public async Task A_larger_file_is_streamed_in_blocks_and_marked_complete_with_its_checksum_last()
    {
        var archive = NewArchive();
        var content = RandomNumberGenerator.GetBytes(9 * 1024 * 1024 + 123);

        var copied = await archive.UploadAsync("room/recording/transcript.json", new NonSeekable(content), new Dictionary<string, string>(), "asset-2", CancellationToken.None);

        Assert.Equal("PUT room/recording/transcript.json?comp=metadata", writes[^1]);
        Assert.Contains("PUT room/recording/transcript.json?comp=blocklist", writes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), copied.Sha256);
        Assert.Equal(content.Length, copied.Size);
        Assert.Equal(copied, await archive.FindCopyAsync("room/recording/transcript.json", "asset-2", CancellationToken.None));
        var stored = await archive.DownloadAsync("room/recording/transcript.json", CancellationToken.None);
        using var read = new MemoryStream();
        await stored!.Content.CopyToAsync(read);
        Assert.Equal(content, read.ToArray());
    }

    /// <summary>Notes each blob write (PUT) with the blob's name and its <c>comp</c>, container creation aside.</summary>
    private sealed class WriteRecorder(List<string> writes) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var uri = message.Request.Uri.ToUri();
            if (message.Request.Method != RequestMethod.Put || uri.Query.Contains("restype=container", StringComparison.Ordinal)) return;
            var name = string.Join('/', uri.AbsolutePath.Trim('/').Split('/').Skip(2)); // after account/container
            var comp = uri.Query.TrimStart('?').Split('&').FirstOrDefault(p => p.StartsWith("comp=", StringComparison.Ordinal));
            lock (writes) writes.Add(comp is null ? $"PUT {name}" : $"PUT {name}?{comp}");
        }
    }

    /// <summary>A download: its length is unknown until it ends.</summary>
    private sealed class NonSeekable(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
