using RecordingFunctions.Functions;

namespace RecordingFunctions.LocalHost;

/// <summary>The archive page's routes, served like the Functions host serves <see cref="PageFunctions"/>.</summary>
public static class PageRoutes
{
    public static void MapPageFunctions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/page", (HttpRequest request) =>
            Page(request.HttpContext, f => Task.FromResult(f.Index(request))));
        api.MapGet("/page/assets/{name}", (HttpContext http, string name) =>
            Page(http, f => Task.FromResult(f.Asset(http.Request, name))));
        api.MapGet("/page/key", (HttpRequest request) =>
            Page(request.HttpContext, f => Task.FromResult(f.KeyCheck(request))));
        api.MapGet("/page/session", (HttpRequest request) =>
            Page(request.HttpContext, f => f.Session(request)));
        api.MapGet("/page/recordings", (HttpRequest request) =>
            FunctionRoutes.Run<PageFunctions>(request.HttpContext, (f, durable) => f.List(request, durable)));
        api.MapGet("/page/recordings/{instanceId}", (HttpContext http, string instanceId) =>
            FunctionRoutes.Run<PageFunctions>(http, (f, durable) => f.Get(http.Request, durable, instanceId)));
        api.MapPost("/page/recordings/{instanceId}/stop", (HttpContext http, string instanceId) =>
            FunctionRoutes.Run<PageFunctions>(http, (f, durable) => f.Stop(http.Request, durable, instanceId)));
        api.MapDelete("/page/recordings/{instanceId}", (HttpContext http, string instanceId) =>
            FunctionRoutes.Run<PageFunctions>(http, (f, durable) => f.Cancel(http.Request, durable, instanceId)));
        api.MapPost("/page/rooms/{roomId}/recordings", (HttpContext http, string roomId) =>
            FunctionRoutes.Run<PageFunctions>(http, (f, durable) => f.Start(http.Request, durable, roomId)));
        api.MapGet("/page/recordings/{instanceId}/files/{name}", (HttpContext http, string instanceId, string name) =>
            FunctionRoutes.Run<PageFunctions>(http, (f, durable) => f.PageFile(http.Request, durable, instanceId, name)));
        api.MapGet("/recordings/{instanceId}/files/{name}", (HttpContext http, string instanceId, string name) =>
            FunctionRoutes.Run<PageFunctions>(http, (f, durable) => f.File(http.Request, durable, instanceId, name)));
    }

    private static Task Page(HttpContext http, Func<PageFunctions, Task<Microsoft.AspNetCore.Mvc.IActionResult>> invoke) =>
        FunctionRoutes.Run<PageFunctions>(http, (f, _) => invoke(f));
}
