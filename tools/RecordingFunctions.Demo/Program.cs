// Drives one recording through the running stack, as a person with curl would, and shows what it archived:
// start → recording → (the meeting ends) → transcription → blobs in storage.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

var options = args.Select((arg, i) => (arg, i)).Where(p => p.arg.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.arg[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
string Option(string name, string fallback) => options.TryGetValue(name, out var value) && value.Length > 0 ? value : fallback;

var api = new Uri(Option("api", "http://127.0.0.1:7071/"));
var simulator = new Uri(Option("simulator", "http://127.0.0.1:5080/"));
var storage = Option("storage", "UseDevelopmentStorage=true");
var container = Option("container", "recordings");
var room = Option("room", $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}{Random.Shared.NextInt64(1L << 60):x16}");
var recordFor = TimeSpan.FromSeconds(double.Parse(Option("record-seconds", "5"), System.Globalization.CultureInfo.InvariantCulture));
var timeout = TimeSpan.FromSeconds(double.Parse(Option("timeout-seconds", "180"), System.Globalization.CultureInfo.InvariantCulture));

using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
if (Option("key", "") is { Length: > 0 } functionKey) http.DefaultRequestHeaders.Add("x-functions-key", functionKey); // under the Functions host
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
    started = await http.PostAsJsonAsync($"api/rooms/{room}/recordings", body);
}
catch (HttpRequestException e)
{
    return Fail("starting the recording", $"the API at {api} did not answer ({e.Message})");
}
if ((int)started.StatusCode != 202) return Fail("starting the recording", $"{(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
Say($"202 Accepted: pipeline {id}");

string? phase = null;
DateTime? recordingSince = null;
var meetingEnded = false;
JsonObject status;
while (true)
{
    status = (await http.GetFromJsonAsync<JsonObject>($"api/recordings/{id}"))!;
    var current = status["phase"]?.GetValue<string>();
    if (current != phase)
    {
        phase = current;
        Say($"phase: {phase}");
        if (phase == "recording") recordingSince = DateTime.UtcNow;
    }
    if (phase is "completed" or "failed" or "transcription_timed_out") break;
    if (!meetingEnded && recordingSince is { } since && DateTime.UtcNow - since >= recordFor)
    {
        using var end = await http.PostAsync(new Uri(simulator, $"admin/rooms/{room}/end"), null);
        if (!end.IsSuccessStatusCode) return Fail("ending the meeting", $"the simulator answered {(int)end.StatusCode}");
        meetingEnded = true;
        Say("the meeting ended (simulator: room ended)");
    }
    if (clock.Elapsed > timeout) return Fail($"waiting in phase {phase}", $"no final phase after {timeout.TotalSeconds:0} s");
    await Task.Delay(250);
}

if (phase != "completed") return Fail($"the pipeline (phase {phase})", status["error"]?.ToString() ?? "no error given");

var recordingId = status["recording_id"]!.GetValue<string>();
var blobs = new BlobServiceClient(storage).GetBlobContainerClient(container);
Console.WriteLine();
Console.WriteLine($"Blobs in container '{container}':");
await foreach (var blob in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{room}/{recordingId}/", CancellationToken.None))
    Console.WriteLine($"  {blob.Name,-90} {blob.Properties.ContentLength,9:N0} bytes");

var markdown = await blobs.GetBlobClient($"{room}/{recordingId}/summary.md").DownloadContentAsync();
Console.WriteLine();
Console.WriteLine(Encoding.UTF8.GetString(markdown.Value.Content.ToArray()));
Say("done");
return 0;
