using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace RecordingFunctions.HmsSimulator;

/// <summary>A 100ms error answer: <c>{code, message, details}</c>.</summary>
public sealed class HmsError(int status, string message, params string[] details) : Exception(message)
{
    public int Status { get; } = status;
    public string[] Details { get; } = details;
}

/// <param name="RecordingId">The recording or stream the event is about.</param>
public sealed record WebhookDelivery(string EventId, string Type, string? RecordingId, int Attempt, int? Status, DateTimeOffset At, bool IsReplay = false);

/// <summary>What a room's template turns on for recordings whose start body has no <c>transcription</c>.</summary>
public sealed record RoomTemplate(bool Transcription, bool Summary = true);

/// <summary>
/// The simulated 100ms: recordings moving through their states on timers, their assets, and the webhooks they send.
/// </summary>
public sealed class SimulatorEngine(IOptionsMonitor<SimulatorOptions> optionsMonitor, IHttpClientFactory httpClients, ILogger<SimulatorEngine> logger)
{
    public const string WebhookClient = "webhooks";

    private readonly Lock gate = new();
    private readonly List<SimulatedRecording> recordings = [];
    private readonly List<SimulatedStream> streams = [];
    // A session lasts while the room is live, across consecutive recordings, until the room ends.
    private readonly Dictionary<string, string> liveSessions = new();
    private readonly Dictionary<string, RoomTemplate> roomTemplates = new();
    private readonly List<(string Key, JsonObject Envelope)> published = [];
    private readonly Dictionary<string, Task> webhookQueues = new();
    private readonly Dictionary<string, List<JsonObject>> heldWebhooks = new();
    private readonly ConcurrentQueue<WebhookDelivery> deliveries = new();
    private readonly ConcurrentDictionary<string, int> calls = new();
    private readonly ConcurrentDictionary<string, int> completedDownloads = new();
    private readonly CancellationTokenSource stopping = new();
    private long idCounter = Random.Shared.NextInt64(1L << 40);

    public SimulatorOptions Options => optionsMonitor.CurrentValue;

    /// <summary>The misbehaviour scripted for the next calls; replace it through <see cref="SetFaults"/>.</summary>
    public FaultSettings Faults { get; private set; } = new();

    public IReadOnlyCollection<WebhookDelivery> Deliveries => deliveries.ToArray();

    /// <summary>How many times each endpoint (see <see cref="Endpoints"/>) was called.</summary>
    public int CallsTo(string endpoint) => calls.GetValueOrDefault(endpoint);

    /// <summary>How many times the asset's file was sent whole.</summary>
    public int CompletedDownloadsOf(string assetId) => completedDownloads.GetValueOrDefault(assetId);

    public void CountCompletedDownload(string assetId) => completedDownloads.AddOrUpdate(assetId, 1, (_, n) => n + 1);

    public void SetFaults(FaultSettings faults)
    {
        lock (gate) Faults = faults;
    }

    public void Reset()
    {
        lock (gate)
        {
            Faults = new FaultSettings();
            recordings.Clear();
            streams.Clear();
            liveSessions.Clear();
            roomTemplates.Clear();
            published.Clear();
            heldWebhooks.Clear();
        }
        deliveries.Clear();
        calls.Clear();
        completedDownloads.Clear();
    }

    public IReadOnlyList<SimulatedRecording> Recordings
    {
        get { lock (gate) return [.. recordings]; }
    }

    /// <summary>Counts the call, then fails it if a fault is scripted for the endpoint.</summary>
    public void Enter(string endpoint)
    {
        calls.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
        lock (gate)
        {
            var fault = Faults.Endpoints.FirstOrDefault(f => f.Endpoint == endpoint && f.Count > 0);
            if (fault is null) return;
            fault.Count--;
            throw new HmsError(fault.Status, fault.Message ?? DefaultMessage(fault.Status));
        }
    }

    private static string DefaultMessage(int status) => status switch
    {
        401 => "Token validation error",
        403 => "user does not have required permission",
        404 => "not found",
        409 => "beam already started",
        429 => "rate limit exceeded, retry after 45 seconds",
        _ => "internal server error",
    };

    /// <summary>A 24-hex id like 100ms's (a timestamp, then a counter, as ObjectIds are).</summary>
    public string NewId() => $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}{Interlocked.Increment(ref idCounter):x16}";

    /// <summary>Sets what the room's template turns on (instead of <see cref="SimulatorOptions.TemplateTranscription"/>).</summary>
    public void SetRoomTemplate(string roomId, RoomTemplate template)
    {
        lock (gate) roomTemplates[roomId] = template;
    }

    public SimulatedRecording Start(string roomId, StartBody body)
    {
        SimulatedRecording recording;
        lock (gate)
        {
            if (recordings.Any(r => r.RoomId == roomId && r.IsActive)) throw new HmsError(409, "beam already started");
            var now = DateTimeOffset.UtcNow;
            var template = roomTemplates.GetValueOrDefault(roomId) ?? new RoomTemplate(Options.TemplateTranscription);
            var fromTemplate = !body.TranscriptionGiven && template.Transcription;
            var transcription = body.TranscriptionEnabled || fromTemplate;
            var id = NewId();
            var beamId = NewId();
            recording = new SimulatedRecording
            {
                Id = id,
                BeamId = beamId,
                JobId = Options.JobIdIsRecordingId ? id : beamId,
                RoomId = roomId,
                SessionId = SessionOf(roomId),
                MeetingUrl = body.MeetingUrl,
                Destination = body.Destination,
                AudioOnly = body.AudioOnly,
                Width = body.Width,
                Height = body.Height,
                TranscriptionEnabled = transcription,
                TranscriptionFromTemplate = fromTemplate,
                TranscriptionNeverComes = transcription && Faults.NoTranscription,
                OutputModes = body.OutputModes,
                SummaryEnabled = transcription && (fromTemplate ? template.Summary : body.SummaryEnabled),
                SummarySections = body.SummarySections,
                CreatedAt = now,
                UpdatedAt = now,
                Silent = Faults.NeverEndRecordings,
            };
            recordings.Insert(0, recording);
        }
        After(Options.StartDelay, () => BecomeRunning(recording));
        return recording;
    }

    /// <summary>The room's live session, opened by its first recording or stream.</summary>
    private string SessionOf(string roomId)
    {
        if (!liveSessions.TryGetValue(roomId, out var session)) liveSessions[roomId] = session = NewId();
        return session;
    }

    public IReadOnlyList<SimulatedStream> Streams
    {
        get { lock (gate) return [.. streams]; }
    }

    /// <summary>
    /// Starts an RTMP stream in the room beside any recording: its own <c>beam_id</c>/<c>job_id</c>,
    /// <c>recording_enabled: false</c>, an <c>rtmp</c> list, and <c>beam.*</c> events without <c>recording_id</c>.
    /// </summary>
    public SimulatedStream StartStream(string roomId, string rtmpUrl = "rtmp://live.example/app/stream-key-0123")
    {
        SimulatedStream stream;
        lock (gate)
        {
            stream = new SimulatedStream { Id = NewId(), BeamId = NewId(), RoomId = roomId, SessionId = SessionOf(roomId), RtmpUrls = [rtmpUrl] };
            streams.Add(stream);
        }
        PublishStream(stream, "beam.started.success", new JsonObject { ["state_name"] = "Started" });
        return stream;
    }

    public void StopStream(string streamId, string reason = "client request") => EndStream(streamId, "beam.stopped.success",
        new JsonObject { ["reason"] = reason, ["stopped_at"] = SimulatedRecording.Time(DateTimeOffset.UtcNow) });

    /// <summary>The stream fails (its RTMP ingest went away, say): a <c>beam.failure</c> without <c>recording_id</c>.</summary>
    public void FailStream(string streamId) => EndStream(streamId, "beam.failure",
        new JsonObject { ["error_type"] = "RTMP_ERROR", ["error_message"] = "rtmp ingest unreachable" });

    private void EndStream(string streamId, string type, JsonObject data)
    {
        SimulatedStream stream;
        lock (gate)
        {
            stream = streams.FirstOrDefault(s => s.Id == streamId && s.Status == "running") ?? throw new HmsError(404, "beam not found");
            stream.Status = type == "beam.failure" ? "failed" : "stopped";
        }
        PublishStream(stream, type, data);
    }

    private void PublishStream(SimulatedStream stream, string type, JsonObject data)
    {
        data["room_id"] = stream.RoomId;
        data["session_id"] = stream.SessionId;
        data["template_id"] = "64b0c0ffee0000000000fe01";
        data["beam_id"] = stream.BeamId;
        data["job_id"] = stream.Id;
        data["recording_enabled"] = false;
        data["rtmp"] = new JsonArray([.. stream.RtmpUrls.Select(u => (JsonNode)new JsonObject { ["url"] = u })]);
        var envelope = Envelope(type, data);
        lock (gate)
        {
            published.Add((stream.Id, envelope));
            if (Faults.DropWebhooks.Contains("*") || Faults.DropWebhooks.Contains(type)) return;
            Enqueue(stream.Id, [envelope]);
        }
    }

    /// <summary>
    /// Re-sends past events, as 100ms's replay API does: the same body with a new envelope id and <c>is_replay: true</c>,
    /// whatever faults are scripted. Returns how many were sent.
    /// </summary>
    public int Replay(Func<JsonObject, bool>? which = null)
    {
        lock (gate)
        {
            var replays = published.Where(p => which?.Invoke(p.Envelope) ?? true).Select(p =>
            {
                var copy = p.Envelope.DeepClone().AsObject();
                copy["id"] = Guid.NewGuid().ToString();
                copy["is_replay"] = true;
                return copy;
            }).ToList();
            Enqueue("replay", replays);
            return replays.Count;
        }
    }

    /// <summary>
    /// Starts a recording as the dashboard, a template's <c>autoStart</c> or a client SDK would: no API call, the same
    /// lifecycle and webhooks. With no body, it transcribes and summarises, as a template with transcription on does.
    /// </summary>
    public SimulatedRecording StartElsewhere(string roomId, StartBody? body = null) =>
        Start(roomId, body ?? new StartBody { TranscriptionEnabled = true, SummaryEnabled = true });

    /// <summary>Makes every recording (or the given one) look <paramref name="by"/> older, e.g. past <see cref="SimulatorOptions.AssetRetention"/>.</summary>
    public void Age(TimeSpan by, string? recordingId = null)
    {
        lock (gate)
            foreach (var recording in recordings.Where(r => recordingId is null || r.Id == recordingId)) recording.Age(by);
    }

    /// <summary>Past retention: 100ms has deleted the file.</summary>
    public bool IsExpired(SimulatedAsset asset)
    {
        lock (gate) return asset.CreatedAt < DateTimeOffset.UtcNow - Options.AssetRetention;
    }

    public SimulatedRecording? Find(string recordingId)
    {
        lock (gate) return recordings.FirstOrDefault(r => r.Id == recordingId);
    }

    public SimulatedAsset? FindAsset(string assetId)
    {
        lock (gate) return recordings.SelectMany(r => r.Assets).FirstOrDefault(a => a.Id == assetId);
    }

    public List<SimulatedAsset> Assets
    {
        get { lock (gate) return [.. recordings.SelectMany(r => r.Assets).OrderByDescending(a => a.CreatedAt)]; }
    }

    /// <summary>Stops every active recording of the room; 404 <c>beam not found</c> when none is.</summary>
    /// <summary>
    /// Stops every active recording of the room; 404 <c>beam not found</c> when none is. With <c>room ended</c> the
    /// room's session ends too (and its streams stop); otherwise the next recording joins the same session.
    /// </summary>
    public List<SimulatedRecording> StopRoom(string roomId, string reason = "client request", bool byApi = false)
    {
        List<SimulatedRecording> active;
        List<SimulatedStream> live = [];
        lock (gate)
        {
            active = [.. recordings.Where(r => r.RoomId == roomId && r.IsActive)];
            if (byApi) foreach (var recording in active) recording.StopRequests++;
            if (reason == "room ended")
            {
                liveSessions.Remove(roomId);
                live = [.. streams.Where(s => s.RoomId == roomId && s.Status == "running")];
            }
        }
        foreach (var stream in live) StopStream(stream.Id, reason);
        if (active.Count == 0) throw new HmsError(404, "beam not found");
        foreach (var recording in active) Stop(recording, reason);
        return active;
    }

    /// <summary><c>POST /v2/recordings/{id}/stop</c>.</summary>
    public SimulatedRecording StopRecording(string recordingId)
    {
        var recording = Find(recordingId);
        lock (gate)
        {
            if (recording is not null) recording.StopRequests++;
        }
        if (recording is null || !recording.IsActive) throw new HmsError(404, "beam not found");
        Stop(recording, "client request");
        return recording;
    }

    private void BecomeRunning(SimulatedRecording recording)
    {
        lock (gate)
        {
            if (recording.Status != "starting") return;
            recording.Status = "running";
            recording.StartedAt = recording.UpdatedAt = DateTimeOffset.UtcNow;
        }
        Publish(recording, "beam.started.success", Common(recording, new JsonObject
        {
            ["beam_id"] = recording.BeamId,
            ["job_id"] = recording.JobId,
            ["recording_enabled"] = true,
            ["start_delay"] = (int)Options.StartDelay.TotalSeconds,
            ["state_name"] = "Started",
            ["meeting_url"] = recording.MeetingUrl ?? "",
        }));
        if (!recording.Silent) After(Options.MaxDuration, () => Stop(recording, "max duration reached"));
    }

    private void Stop(SimulatedRecording recording, string reason)
    {
        lock (gate)
        {
            if (recording.Status == "starting")
            {
                // 100ms answers "stopping", then fails the job that never began.
                recording.Status = "stopping";
                recording.StopReason = reason;
                recording.UpdatedAt = DateTimeOffset.UtcNow;
                StopBeforeStart(recording);
                return;
            }
            if (recording.Status == "running")
            {
                recording.Status = "stopping";
                recording.StopReason = reason;
                recording.UpdatedAt = DateTimeOffset.UtcNow;
                recording.Duration = Math.Max(1, (int)Math.Round((DateTimeOffset.UtcNow - recording.StartedAt!.Value).TotalSeconds * Options.TimeScale));
            }
            else return;
        }
        Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), stopping.Token);
            lock (gate)
            {
                recording.Status = "post_processing";
                recording.StoppedAt = recording.UpdatedAt = DateTimeOffset.UtcNow;
            }
            Publish(recording, "beam.stopped.success", Common(recording, new JsonObject
            {
                ["beam_id"] = recording.BeamId,
                ["job_id"] = recording.JobId,
                ["reason"] = reason,
            }));
            After(Options.PostProcessingDelay, () => Complete(recording));
        });
    }

    private void StopBeforeStart(SimulatedRecording recording) => Task.Run(async () =>
    {
        await Task.Delay(TimeSpan.FromMilliseconds(50), stopping.Token);
        lock (gate)
        {
            recording.Status = "failed";
            recording.UpdatedAt = DateTimeOffset.UtcNow;
        }
        Publish(recording, "beam.failure", Common(recording, new JsonObject
        {
            ["beam_id"] = recording.BeamId,
            ["job_id"] = recording.JobId,
            ["error_type"] = "BEAM_STOPPED",
            ["error_message"] = "beam stopped before it started",
        }));
    });

    private void Complete(SimulatedRecording recording)
    {
        var now = DateTimeOffset.UtcNow;
        SimulatedAsset composite, chat;
        lock (gate)
        {
            recording.Status = "completed";
            recording.UpdatedAt = now;
            composite = new SimulatedAsset { Id = NewId(), Recording = recording, Type = "room-composite", Status = "completed", CreatedAt = now, SyntheticSize = Options.CompositeSize };
            chat = new SimulatedAsset { Id = NewId(), Recording = recording, Type = "chat", Status = "completed", CreatedAt = now, Content = SimulatedFiles.Chat(recording) };
            recording.Assets.Add(composite);
            recording.Assets.Add(chat);
            if (recording.TranscriptionEnabled && !recording.TranscriptionNeverComes)
            {
                foreach (var mode in recording.OutputModes)
                    recording.Assets.Add(new SimulatedAsset { Id = NewId(), Recording = recording, Type = "transcript", OutputMode = mode, CreatedAt = now });
                if (recording.SummaryEnabled)
                    recording.Assets.Add(new SimulatedAsset { Id = NewId(), Recording = recording, Type = "summary", OutputMode = "json", CreatedAt = now });
                recording.TranscriptionId = NewId();
            }
        }
        Publish(recording, "beam.recording.success", Common(recording, new JsonObject
        {
            ["beam_id"] = recording.BeamId,
            ["job_id"] = recording.JobId,
            ["recording_id"] = recording.Id,
            ["created_at"] = SimulatedRecording.Time(recording.CreatedAt),
            ["started_at"] = SimulatedRecording.Time(recording.StartedAt),
            ["stopped_at"] = SimulatedRecording.Time(recording.StoppedAt),
            ["size"] = composite.Size,
            ["max_width"] = recording.Width,
            ["max_height"] = recording.Height,
            ["recording_path"] = composite.Path,
            ["recording_presigned_url"] = "",
            ["chat_recording_path"] = chat.Path,
            ["chat_recording_presigned_url"] = "",
            ["meeting_url"] = recording.MeetingUrl ?? "",
        }));
        if (!recording.TranscriptionEnabled || recording.TranscriptionNeverComes) return;

        Publish(recording, "transcription.started.success", Transcription(recording, withFiles: false));
        var processing = TimeSpan.FromSeconds(Math.Max(Options.TranscriptionFloor.TotalSeconds, Options.TranscriptionRatio * recording.Duration));
        After(processing, () => FinishTranscription(recording));
    }

    private void FinishTranscription(SimulatedRecording recording)
    {
        bool failed;
        lock (gate)
        {
            var failing = Faults.FailTranscriptionOutputs;
            foreach (var asset in recording.Assets.Where(a => a.Status == "processing"))
            {
                var mode = asset.Type == "summary" ? "summary" : asset.OutputMode!;
                if (failing.Contains(mode))
                {
                    asset.Status = "failed";
                    continue;
                }
                asset.Content = asset.Type == "summary"
                    ? SimulatedFiles.Summary(recording, Options.SummaryShape, Faults.SummaryFile)
                    : SimulatedFiles.Transcript(recording, asset.OutputMode!);
                asset.Status = "completed";
            }
            failed = recording.Assets.Any(a => a.Status == "failed");
        }
        Publish(recording, failed ? "transcription.failure" : "transcription.success", Transcription(recording, withFiles: true));
    }

    private JsonObject Transcription(SimulatedRecording recording, bool withFiles)
    {
        var data = Common(recording, new JsonObject
        {
            ["account_id"] = Options.AccountId,
            ["app_id"] = Options.AppId,
            ["recording_id"] = recording.Id,
            ["room_name"] = "simulated-room",
            ["transcription_id"] = recording.TranscriptionId,
        });
        lock (gate)
        {
            foreach (var asset in recording.Assets.Where(a => a.Type is "transcript" or "summary"))
            {
                var prefix = asset.Type == "summary" ? "summary_json" : $"transcript_{asset.OutputMode}";
                data[$"{prefix}_asset_id"] = asset.Id;
                if (!withFiles || asset.Status != "completed") continue;
                data[$"{prefix}_path"] = asset.Path;
                // A webhook's URL is deliberately unusable: consumers must ask the API for a fresh one.
                data[$"{prefix}_presigned_url"] = $"https://storage.example/{asset.FileName}?sig=webhook-url-not-served";
            }
        }
        return data;
    }

    private JsonObject Common(SimulatedRecording recording, JsonObject data)
    {
        data["room_id"] = recording.RoomId;
        data["session_id"] = recording.SessionId;
        data["template_id"] = "64b0c0ffee0000000000fe01";
        data["peer_id"] = "5b2e3c1a-0d4f-4a6b-9c8d-7e6f5a4b3c2d";
        data["metadata_id"] = Guid.NewGuid().ToString();
        data["metadata_timestamp"] = SimulatedRecording.Time(DateTimeOffset.UtcNow);
        data["duration"] = recording.Duration;
        data["session_started_at"] = SimulatedRecording.Time(recording.CreatedAt);
        return data;
    }

    private JsonObject Envelope(string type, JsonObject data) => new()
    {
        ["version"] = "2.0",
        ["id"] = Guid.NewGuid().ToString(),
        ["account_id"] = Options.AccountId,
        ["app_id"] = Options.AppId,
        ["timestamp"] = SimulatedRecording.Time(DateTimeOffset.UtcNow),
        ["type"] = type,
        ["data"] = Styled(data),
    };

    /// <summary>Whole numbers written as <see cref="SimulatorOptions.NumberStyle"/> says (webhooks and API answers).</summary>
    public T Styled<T>(T node) where T : JsonNode
    {
        if (Options.NumberStyle != NumberStyle.Integers) Restyle(node);
        return node;
    }

    private void Restyle(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var whole))
                        obj[key] = Options.NumberStyle == NumberStyle.Strings ? JsonValue.Create(whole.ToString(System.Globalization.CultureInfo.InvariantCulture)) : JsonNode.Parse($"{whole}.0");
                    else if (value is not null) Restyle(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array) if (item is not null) Restyle(item);
                break;
        }
    }

    private void Publish(SimulatedRecording recording, string type, JsonObject data)
    {
        var envelope = Envelope(type, data);
        List<JsonObject> toSend;
        lock (gate)
        {
            published.Add((recording.Id, envelope));
            if (recording.Silent || Faults.DropWebhooks.Contains("*") || Faults.DropWebhooks.Contains(type)) return;
            var held = heldWebhooks.GetValueOrDefault(recording.Id);
            if (Faults.ReorderWebhooks && type == "beam.recording.success" && recording.TranscriptionEnabled)
            {
                heldWebhooks[recording.Id] = [envelope];
                return;
            }
            toSend = [envelope];
            if (held is not null && type is "transcription.success" or "transcription.failure")
            {
                toSend.AddRange(held);
                heldWebhooks.Remove(recording.Id);
            }
            if (Faults.DuplicateWebhooks) toSend = [.. toSend.SelectMany(e => new[] { e, e })];
            Enqueue(recording.Id, toSend);
        }
    }

    /// <summary>Delivers in order per key (a recording, a stream, or the replays); called under the lock.</summary>
    private void Enqueue(string key, List<JsonObject> toSend)
    {
        var previous = webhookQueues.GetValueOrDefault(key, Task.CompletedTask);
        webhookQueues[key] = previous.ContinueWith(
            async _ => { foreach (var e in toSend) await DeliverAsync(e, SubjectOf(e)); },
            TaskScheduler.Default).Unwrap();
    }

    private static string? SubjectOf(JsonObject envelope) =>
        envelope["data"]?["recording_id"]?.GetValue<string>() ?? envelope["data"]?["job_id"]?.ToString();

    private async Task DeliverAsync(JsonObject envelope, string? recordingId)
    {
        var url = Options.WebhookUrl;
        if (string.IsNullOrEmpty(url)) return;
        var id = envelope["id"]!.GetValue<string>();
        var type = envelope["type"]!.GetValue<string>();
        var delays = Options.WebhookRetryDelays;
        for (var attempt = 1; attempt <= delays.Count + 1; attempt++)
        {
            int? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(envelope) };
                foreach (var (name, value) in Options.WebhookHeaders) request.Headers.TryAddWithoutValidation(name, value);
                using var response = await httpClients.CreateClient(WebhookClient).SendAsync(request, stopping.Token);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
            {
                logger.LogInformation("Webhook {Type} {Id} attempt {Attempt} failed: {Error}", type, id, attempt, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            deliveries.Enqueue(new WebhookDelivery(id, type, recordingId, attempt, status, DateTimeOffset.UtcNow, envelope["is_replay"] is not null));
            if (status == 200 || attempt > delays.Count) return;
            try
            {
                await Task.Delay(delays[attempt - 1], stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> after a simulated delay.</summary>
    private void After(TimeSpan simulated, Action action) => Task.Run(async () =>
    {
        try
        {
            await Task.Delay(Options.Real(simulated), stopping.Token);
            action();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Simulated lifecycle step failed");
        }
    });

    public void Shutdown() => stopping.Cancel();
}
