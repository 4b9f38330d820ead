using System.Reflection;
using System.Reflection.Emit;
using RecordingFunctions.Pipeline;
using Xunit.Abstractions;

namespace RecordingFunctions.Tests;

/// <summary>
/// The core's namespaces depend on each other in one direction only, from the HTTP edge down to the 100ms client:
/// a namespace may use those below it in <see cref="Layers"/>, never those above or beside it in the same row.
/// References are read from the compiled types (signatures, fields, attributes and every member their IL touches).
/// </summary>
public sealed class NamespaceDependencyTests(ITestOutputHelper output)
{
    private const string Root = "RecordingFunctions";

    /// <summary>Top to bottom. Namespaces in one row are independent of each other.</summary>
    private static readonly string[][] Layers =
    [
        ["Page"],
        ["Api"],
        ["Scheduling", "Archive"],
        ["Validation"],
        ["Pipeline"],
        ["Storage"],
        ["Hms"],
        ["Telemetry"],
    ];

    [Fact]
    public void Namespaces_of_the_core_depend_only_on_the_ones_below_them()
    {
        var edges = DependenciesOf(typeof(RecordingPipeline).Assembly);
        foreach (var edge in edges.OrderBy(e => e.Key.From).ThenBy(e => e.Key.To))
            output.WriteLine($"{edge.Key.From} -> {edge.Key.To}: {string.Join(", ", edge.Value.Take(4))}");

        var layerOf = Layers.SelectMany((row, i) => row.Select(name => (name, i))).ToDictionary(p => p.name, p => p.i);
        var unknown = edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Where(n => !layerOf.ContainsKey(n)).ToList();
        Assert.True(unknown.Count == 0, "Place these namespaces in Layers: " + string.Join(", ", unknown));

        var upward = edges.Where(e => layerOf[e.Key.From] >= layerOf[e.Key.To])
            .Select(e => $"{e.Key.From} -> {e.Key.To} ({string.Join(", ", e.Value.Take(3))})")
            .ToList();
        Assert.True(upward.Count == 0, "Dependencies against the direction:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void The_reader_sees_a_type_used_only_inside_a_method_body()
    {
        // The check is only as good as its reading: a call in a method's IL counts, not only signatures.
        Assert.Contains(typeof(PipelineInstanceIds), TypesUsedBy(typeof(UsesPipelineOnlyInItsBody)));
        Assert.DoesNotContain(typeof(PipelineStore), TypesUsedBy(typeof(UsesPipelineOnlyInItsBody)));
    }

    private static class UsesPipelineOnlyInItsBody
    {
        public static bool Check(string id) => PipelineInstanceIds.IsValid(id);
    }

    /// <summary>(from, to) → the names of the types of "to" that "from" uses, between the core's namespaces.</summary>
    private static Dictionary<(string From, string To), SortedSet<string>> DependenciesOf(Assembly assembly)
    {
        var edges = new Dictionary<(string, string), SortedSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (AreaOf(type) is not { } from) continue;
            foreach (var used in TypesUsedBy(type))
            {
                if (used.Assembly != assembly || AreaOf(used) is not { } to || to == from) continue;
                if (!edges.TryGetValue((from, to), out var names)) edges[(from, to)] = names = new SortedSet<string>(StringComparer.Ordinal);
                names.Add(used.Name);
            }
        }
        return edges;
    }

    /// <summary>The first namespace segment under <see cref="Root"/> (<c>Pipeline</c> for <c>RecordingFunctions.Pipeline.Activities</c>); null for the composition root.</summary>
    private static string? AreaOf(Type type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith(Root + ".", StringComparison.Ordinal)) return null;
        return ns[(Root.Length + 1)..].Split('.')[0];
    }

    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        if (type.BaseType is not null) found.Add(type.BaseType);
        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetCustomAttributesData().Select(a => a.AttributeType));
        found.AddRange(type.GetFields(all).Select(f => f.FieldType));
        found.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info) found.Add(info.ReturnType);
            found.AddRange(MembersInBody(method));
        }
        return found.SelectMany(Unwrap).Distinct();
    }

    /// <summary>A type, its element type and its generic arguments, all the way down.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (!type.IsGenericType || type.IsGenericTypeDefinition) return [type];
        return type.GetGenericArguments().SelectMany(Unwrap).Append(type.GetGenericTypeDefinition());
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The declaring types of the methods and fields, and the types, that a method's IL names.</summary>
    private static IEnumerable<Type> MembersInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var module = method.Module;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            var token = opCode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok
                ? BitConverter.ToInt32(il, i)
                : (int?)null;
            i += opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (token is null) continue;
            Type? used;
            try
            {
                var member = module.ResolveMember(token.Value, typeArgs, methodArgs);
                used = member as Type ?? member?.DeclaringType;
                if (member is MethodInfo m) used = m.DeclaringType;
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
            {
                continue;
            }
            if (used is not null) yield return used;
        }
    }
}
