namespace RecordingFunctions.Tests.Support;

public static class Ci
{
    /// <summary>Under CI (<c>CI=true</c>) a missing outside tool fails the tests that need it instead of skipping them.</summary>
    public static bool IsRunning => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
