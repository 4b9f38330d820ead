// Drives one recording through the running stack, as a person with curl would, and shows what it archived:
// start → recording → (the meeting ends) → transcription → blobs in storage.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace RecordingFunctions.RunLocal;

public static class DemoRecording
{
    private static readonly TimeSpan RecordFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(180);
    private const string Container = "recordings";

    /// <returns>0 when the recording completed and its files are in storage, else 1 (having said why).</returns>
    public static async Task<int> RunAsync(Uri api, Uri simulator, string storage, string? functionKey, CancellationToken cancellationToken)
    {
        var room = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}{Random.Shared.NextInt64(1L << 60):x16}";
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        if (functionKey is not null) http.DefaultRequestHeaders.Add("x-functions-key", functionKey); // under the Functions host
        var clock = Stopwatch.StartNew();
        void Say(string text) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {text}");
        int Fail(string where, string why)
        {
            Console.Error.WriteLine($"FAILED while {where}: {why}");
            return 1;
        }

        var body = new
        {
            meeting_url = $"https://demo.app.100ms.live/preview/{room}/beam?skip_preview=true",
            transcription = new
            {
                enabled = true,
                output_modes = new[] { "txt", "srt", "json" },
                summary = new
                {
                    enabled = true,
                    context = "weekly engineering sync",
                    sections = new[]
                    {
                        new { title = "Agenda", format = "bullets" },
                        new { title = "Action Items", format = "bullets" },
                        new { title = "Short Summary", format = "paragraph" },
                    },
                },
            },
        };

        Say($"POST /api/rooms/{room}/recordings");
        HttpResponseMessage started;
        try
        {
            started = await http.PostAsJsonAsync($"api/rooms/{room}/recordings", body, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return Fail("starting the recording", $"the API at {api} did not answer ({e.Message})");
        }
        if ((int)started.StatusCode != 202) return Fail("starting the recording", $"{(int)started.StatusCode} {await started.Content.ReadAsStringAsync(cancellationToken)}");
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["id"]!.GetValue<string>();
        Say($"202 Accepted: pipeline {id}");

        string? phase = null;
        DateTime? recordingSince = null;
        var meetingEnded = false;
        JsonObject status;
        while (true)
        {
            status = (await http.GetFromJsonAsync<JsonObject>($"api/recordings/{id}", cancellationToken))!;
            var current = status["phase"]?.GetValue<string>();
            if (current != phase)
            {
                phase = current;
                Say($"phase: {phase}");
                if (phase == "recording") recordingSince = DateTime.UtcNow;
            }
            if (phase is "completed" or "failed" or "transcription_timed_out") break;
            if (!meetingEnded && recordingSince is { } since && DateTime.UtcNow - since >= RecordFor)
            {
                using var end = await http.PostAsync(new Uri(simulator, $"admin/rooms/{room}/end"), null, cancellationToken);
                if (!end.IsSuccessStatusCode) return Fail("ending the meeting", $"the simulator answered {(int)end.StatusCode}");
                meetingEnded = true;
                Say("the meeting ended (simulator: room ended)");
            }
            if (clock.Elapsed > GiveUpAfter) return Fail($"waiting in phase {phase}", $"no final phase after {GiveUpAfter.TotalSeconds:0} s");
            await Task.Delay(250, cancellationToken);
        }

        if (phase != "completed") return Fail($"the pipeline (phase {phase})", status["error"]?.ToString() ?? "no error given");

        var recordingId = status["recording_id"]!.GetValue<string>();
        var blobs = new BlobServiceClient(storage).GetBlobContainerClient(Container);
        Console.WriteLine();
        Console.WriteLine($"Blobs in container '{Container}':");
        await foreach (var blob in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{room}/{recordingId}/", cancellationToken))
            Console.WriteLine($"  {blob.Name,-90} {blob.Properties.ContentLength,9:N0} bytes");

        var markdown = await blobs.GetBlobClient($"{room}/{recordingId}/summary.md").DownloadContentAsync(cancellationToken);
        Console.WriteLine();
        Console.WriteLine(Encoding.UTF8.GetString(markdown.Value.Content.ToArray()));
        Say("done");
        return 0;
    }
}
