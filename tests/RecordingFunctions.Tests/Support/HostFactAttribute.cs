using Xunit.Abstractions;
using Xunit.Sdk;
using RecordingFunctions.HmsSimulator;

namespace RecordingFunctions.Tests.Support;

/// <summary>Marks a test class whose tests need the real Functions host (see <see cref="HostFactAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresFunctionsHostAttribute : Attribute;

/// <summary>
/// A fact of a host scenario. In a class marked <see cref="RequiresFunctionsHostAttribute"/> on a machine without a
/// Functions host it is skipped with the reason, except under CI (<c>CI=true</c>), where it runs and fails.
/// </summary>
[XunitTestCaseDiscoverer("RecordingFunctions.Tests.Support.HostFactDiscoverer", "RecordingFunctions.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class HostFactAttribute : FactAttribute;

public sealed class HostFactDiscoverer(IMessageSink diagnostics) : FactDiscoverer(diagnostics)
{
    private static int announced;

    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var needsHost = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresFunctionsHostAttribute)).Any();
        if (needsHost && FunctionsHostCommand.Find(RepositoryPaths.Root, out var whyNot) is null && !Ci.IsRunning)
        {
            var reason = $"Skipped: {whyNot} (CI=true makes this a failure)";
            if (Interlocked.Exchange(ref announced, 1) == 0)
            {
                DiagnosticMessageSink.OnMessage(new DiagnosticMessage("Functions host scenarios " + reason));
                HostTimings.Record($"{testMethod.TestClass.Class.Name}: {reason}");
            }
            return new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
        }
        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}

/// <summary>A test case skipped for a reason found at discovery.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string reason = "";

    [Obsolete("For deserialization only.")]
    public SkippedTestCase() { }

    public SkippedTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string reason)
        : base(diagnostics, display, options, method) => this.reason = reason;

    protected override string GetSkipReason(IAttributeInfo factAttribute) => reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReasonText", reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        reason = data.GetValue<string>("SkipReasonText");
        base.Deserialize(data);
    }
}
