using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using RecordingFunctions.Functions;

namespace RecordingFunctions.RunLocal;

/// <summary>One HTTP function's method and path (under <c>/api</c>), and whether it needs a function key.</summary>
public sealed record HttpRoute(string Method, string Path, bool NeedsKey)
{
    /// <summary>Every route of the Functions app, read from its HTTP triggers so that what --serve lists cannot drift from the code.</summary>
    public static IReadOnlyList<HttpRoute> All { get; } =
        typeof(RecordingsFunctions).Assembly.GetTypes().SelectMany(type => type.GetMethods())
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(method => method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>())
            .SelectMany(trigger => (trigger.Methods ?? []).Select(verb =>
                new HttpRoute(verb.ToUpperInvariant(), "/api/" + trigger.Route, trigger.AuthLevel != AuthorizationLevel.Anonymous)))
            .OrderBy(route => route.Path, StringComparer.Ordinal).ThenBy(route => route.Method, StringComparer.Ordinal)
            .ToList();
}
