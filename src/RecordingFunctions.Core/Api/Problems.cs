using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace RecordingFunctions.Api;

/// <summary>RFC 7807 problem details answers, the one error shape of this API.</summary>
public static class Problems
{
    public static ObjectResult Of(int status, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (extensions is not null)
            foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return Result(problem);
    }

    public static ObjectResult Validation(IEnumerable<(string Path, string Message)> errors, string title = "The request is invalid.")
    {
        var problem = new ValidationProblemDetails(errors
            .GroupBy(e => e.Path)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title,
        };
        return Result(problem);
    }

    public static ObjectResult TooLarge(string what, int maxBytes) =>
        Of(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"{what} may be at most {maxBytes} bytes.",
            new Dictionary<string, object?> { ["limit"] = maxBytes });

    private static ObjectResult Result(ProblemDetails problem) => new(problem)
    {
        StatusCode = problem.Status,
        ContentTypes = { "application/problem+json" },
    };
}
