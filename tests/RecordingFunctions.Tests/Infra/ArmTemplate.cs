using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecordingFunctions.Tests.Support;

namespace RecordingFunctions.Tests.Infra;

/// <summary>
/// infra/main.bicep compiled to an ARM template by the Bicep CLI (installed by scripts/bicep.sh when missing),
/// once per test run, with the few lookups the infra tests need: resources across modules, and the literal a
/// template expression stands for when it is a chain of parameters and variables.
/// </summary>
public sealed partial class ArmTemplate
{
    private static readonly Lazy<ArmTemplate> compiled = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The compiled infra/main.bicep. Compilation fails on any Bicep error or warning, linter rules included.</summary>
    public static ArmTemplate Main => compiled.Value;

    public JsonObject Root { get; }

    /// <summary>Every resource, those of modules (nested deployments) included.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    private ArmTemplate(JsonObject root)
    {
        Root = root;
        Scope = new ArmScope(root, null, null);
        var resources = new List<ArmResource>();
        Collect(Scope, resources);
        Resources = resources;
    }

    /// <summary>The scope of main.bicep itself: its parameters, variables and outputs.</summary>
    public ArmScope Scope { get; }

    /// <summary>An output of main.bicep, resolved to a literal when it is one (see <see cref="ArmScope.Resolve"/>).</summary>
    public JsonNode? Output(string name) => Scope.Resolve(Root["outputs"]?[name]?["value"]);

    /// <summary>The resources of a type the template deploys (references to <c>existing</c> resources left out).</summary>
    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => !r.IsExisting && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public ArmResource Single(string type) => Assert.Single(OfType(type));

    /// <summary>The module (nested deployment) of main.bicep with this deployment name.</summary>
    public ArmResource Module(string name) =>
        Assert.Single(OfType("Microsoft.Resources/deployments"), m => m.Json["name"]?.GetValue<string>() == name);

    /// <summary>The Functions app (infra/app/api.bicep).</summary>
    public ArmResource FunctionApp =>
        Assert.Single(OfType("Microsoft.Web/sites"), s => s.Json["kind"]?.GetValue<string>() == "functionapp,linux");

    /// <summary>The function app's app settings by name, as written in the template (values may be expressions).</summary>
    public IReadOnlyDictionary<string, JsonNode?> AppSettings
    {
        get
        {
            var list = FunctionApp.Properties?["siteConfig"]?["appSettings"] as JsonArray
                ?? throw new InvalidOperationException("The function app has no siteConfig.appSettings array.");
            var settings = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
            foreach (var setting in list)
            {
                var name = setting?["name"]?.GetValue<string>() ?? throw new InvalidOperationException("An app setting has no literal name.");
                Assert.True(settings.TryAdd(name, setting["value"]), $"The app setting {name} is set twice.");
            }
            return settings;
        }
    }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("The template is not a JSON object."));

    private static void Collect(ArmScope scope, List<ArmResource> into)
    {
        var resources = scope.Template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(), // languageVersion 2.0
            _ => [],
        };
        foreach (var json in resources)
        {
            var resource = new ArmResource(json, scope);
            into.Add(resource);
            if (resource.Type == "Microsoft.Resources/deployments" && json["properties"]?["template"] is JsonObject template)
                Collect(new ArmScope(template, json["properties"]?["parameters"] as JsonObject, scope), into);
        }
    }

    private static ArmTemplate Compile()
    {
        var root = RepositoryPaths.Root;
        var install = Run("bash", [Path.Combine(root, "scripts", "bicep.sh"), "--install"], root, TimeSpan.FromMinutes(3));
        var bicep = install.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

        var output = Path.Combine(Path.GetTempPath(), $"recording-functions-main-{Guid.NewGuid():N}.json");
        try
        {
            var build = Run(bicep, ["build", Path.Combine(root, "infra", "main.bicep"), "--outfile", output], root, TimeSpan.FromMinutes(2));
            var diagnostics = (build.Stdout + build.Stderr)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => DiagnosticLine().IsMatch(line))
                .ToList();
            if (diagnostics.Count > 0)
                throw new InvalidOperationException("bicep build reported:\n" + string.Join('\n', diagnostics));
            return Parse(File.ReadAllText(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static (string Stdout, string Stderr) Run(string fileName, string[] arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        process.WaitForExit();
        var result = (stdout.Result, stderr.Result);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{result.Item1}\n{result.Item2}");
        }
        return result;
    }

    // "path(line,col) : Warning rule-or-code: message"
    [GeneratedRegex(@"\) : (Warning|Error) ", RegexOptions.IgnoreCase)]
    private static partial Regex DiagnosticLine();
}

/// <summary>
/// A template and, for a module, the parameter values its parent passes and the parent's scope: enough to follow
/// an expression made of <c>parameters('x')</c> and <c>variables('x')</c> back to the literal it stands for.
/// </summary>
public sealed partial record ArmScope(JsonObject Template, JsonObject? ModuleParameters, ArmScope? Parent)
{
    public JsonObject? Parameter(string name) => Template["parameters"]?[name] as JsonObject;

    public override string ToString() => Parent is null ? "main.bicep" : $"a module of {Parent}";

    /// <summary>
    /// The literal a value stands for: itself when it is a literal, or, for <c>parameters('x')</c> and
    /// <c>variables('x')</c> (optionally with <c>.property</c> steps or inside <c>string(...)</c>), what they lead to:
    /// a module parameter to what the parent passes, a top-level parameter to its default value. Null when the value
    /// is known only at deployment (it refers to a resource, or to a parameter without a default).
    /// </summary>
    public JsonNode? Resolve(JsonNode? value) => Resolve(value, this, depth: 0);

    /// <summary>The name of the main.bicep parameter a value comes from, through any module parameters; null if none.</summary>
    public string? MainParameterBehind(JsonNode? value)
    {
        var scope = this;
        while (value is JsonValue v && v.TryGetValue<string>(out var text) && ParameterReference().Match(text) is { Success: true } match)
        {
            var name = match.Groups["name"].Value;
            if (scope.ModuleParameters is null || scope.Parent is null) return scope.Parameter(name) is null ? null : name;
            value = scope.ModuleParameters[name]?["value"];
            scope = scope.Parent;
        }
        return null;
    }

    private static JsonNode? Resolve(JsonNode? value, ArmScope scope, int depth)
    {
        if (depth > 64) return null;
        return value switch
        {
            JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, scope, depth + 1)))),
            JsonArray array => new JsonArray([.. array.Select(item => Resolve(item, scope, depth + 1))]),
            JsonValue literal when literal.TryGetValue<string>(out var text) && IsExpression(text) => ResolveExpression(text, scope, depth),
            _ => value?.DeepClone(),
        };
    }

    private static JsonNode? ResolveExpression(string expression, ArmScope scope, int depth)
    {
        if (StringCall().Match(expression) is { Success: true } call)
        {
            return Resolve(JsonValue.Create($"[{call.Groups["inner"].Value}]"), scope, depth + 1) switch
            {
                JsonValue inner when inner.TryGetValue<string>(out var s) => JsonValue.Create(s),
                JsonValue inner => JsonValue.Create(inner.ToJsonString()),
                _ => null,
            };
        }

        var reference = Reference().Match(expression);
        if (!reference.Success) return null;
        var name = reference.Groups["name"].Value;
        var resolved = reference.Groups["kind"].Value switch
        {
            "variables" => Resolve(scope.Template["variables"]?[name], scope, depth + 1),
            _ when scope.ModuleParameters?[name] is JsonObject passed && scope.Parent is not null =>
                Resolve(passed["value"], scope.Parent, depth + 1),
            _ => Resolve(scope.Parameter(name)?["defaultValue"], scope, depth + 1),
        };
        foreach (var step in reference.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
            resolved = (resolved as JsonObject)?[step]?.DeepClone();
        return resolved;
    }

    private static bool IsExpression(string text) =>
        text.StartsWith('[') && !text.StartsWith("[[", StringComparison.Ordinal) && text.EndsWith(']');

    [GeneratedRegex(@"^\[(?<kind>parameters|variables)\('(?<name>[^']+)'\)(?<path>(\.\w+)*)\]$")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\[string\((?<inner>.+)\)\]$")]
    private static partial Regex StringCall();

    [GeneratedRegex(@"^\[(string\()?parameters\('(?<name>[^']+)'\)\)?\]$")]
    private static partial Regex ParameterReference();
}

/// <summary>One resource of the compiled template, in the scope of the (nested) template that declares it.</summary>
public sealed record ArmResource(JsonObject Json, ArmScope Scope)
{
    public string Type => Json["type"]?.GetValue<string>() ?? "";

    public JsonNode? Properties => Json["properties"];

    /// <summary>A reference to a resource declared elsewhere (Bicep's <c>existing</c>), not a deployment of it.</summary>
    public bool IsExisting => Json["existing"]?.GetValue<bool>() == true;

    public override string ToString() => $"{Type} {Json["name"]}";

    /// <inheritdoc cref="ArmScope.Resolve(JsonNode?)"/>
    public JsonNode? Resolve(JsonNode? value) => Scope.Resolve(value);

    /// <inheritdoc cref="ArmScope.MainParameterBehind(JsonNode?)"/>
    public string? MainParameterBehind(JsonNode? value) => Scope.MainParameterBehind(value);
}
