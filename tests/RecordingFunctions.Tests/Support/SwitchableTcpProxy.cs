using System.Net;
using System.Net.Sockets;

namespace RecordingFunctions.Tests.Support;

/// <summary>
/// Forwards loopback TCP connections to a target port; while <see cref="Down"/> it drops new and open connections,
/// as a storage endpoint that is unreachable for a while.
/// </summary>
public sealed class SwitchableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> open = [];
    private readonly Task accepting;
    private bool down;

    public SwitchableTcpProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public bool Down
    {
        get => down;
        set
        {
            down = value;
            if (!value) return;
            lock (open)
            {
                foreach (var client in open) client.Dispose();
                open.Clear();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (down)
            {
                client.Dispose();
                continue;
            }
            _ = PumpAsync(client);
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        using var target = new TcpClient();
        try
        {
            await target.ConnectAsync(IPAddress.Loopback, targetPort);
            lock (open)
            {
                open.Add(client);
                open.Add(target);
            }
            using var _ = client;
            await Task.WhenAny(
                client.GetStream().CopyToAsync(target.GetStream(), stopping.Token),
                target.GetStream().CopyToAsync(client.GetStream(), stopping.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A dropped connection is the point of this proxy.
        }
        finally
        {
            lock (open)
            {
                open.Remove(client);
                open.Remove(target);
            }
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        listener.Stop();
        await accepting;
        Down = true;
    }
}
