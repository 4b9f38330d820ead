namespace RecordingFunctions.Bench;

/// <summary>
/// Azure list prices (USD, pay-as-you-go, East US where the source says) that turn counted operations and measured
/// seconds into money. Each says where it comes from, or that it is assumed; docs/cost.md explains the model.
/// </summary>
public static class CostModel
{
    public sealed record Price(string What, double Usd, string Per, string Source);

    // Flex Consumption, on demand.
    public static readonly Price FlexGbSecond = new("Flex Consumption on-demand execution time", 0.000026, "GB-s",
        "cited: modal.com/blog/azure-function-pricing-guide (2025-05-22, East US), read 2026-12-07");
    public static readonly Price FlexMillionExecutions = new("Flex Consumption on-demand executions", 0.40, "million executions",
        "assumed (Azure Functions pricing page not reachable from here)");
    public const double FlexInstanceGb = 2.048; // the plan's default instance memory size (2,048 MB)

    // Standard general-purpose v2, LRS, hot tier.
    private const string BlobTable = "cited: Azure's Blob Storage pricing table as copied in github.com/mitchpaulus/dotfiles notes/azure.md (undated, region not stated), read 2026-12-07";
    public static readonly Price BlobWrite = new("Blob write operations (hot)", 0.065, "10,000", BlobTable);
    public static readonly Price BlobRead = new("Blob read operations (hot)", 0.005, "10,000", BlobTable);
    public static readonly Price BlobList = new("Blob list and create container operations (hot)", 0.065, "10,000", "assumed equal to write operations (not in the copied table)");
    public static readonly Price BlobOther = new("Blob all other operations (hot; delete is free)", 0.005, "10,000", BlobTable);
    public static readonly Price BlobGbMonth = new("Blob capacity (hot, first 50 TB)", 0.018, "GB-month", BlobTable);
    public static readonly Price QueueClass1 = new("Queue class 1 operations (put, update, delete, create)", 0.004, "10,000", "assumed (Queue Storage pricing page not reachable from here)");
    public static readonly Price QueueClass2 = new("Queue class 2 operations (get, peek, metadata)", 0.004, "10,000", "assumed (Queue Storage pricing page not reachable from here)");
    public static readonly Price TableTransaction = new("Table transactions (a $batch counted as one)", 0.00036, "10,000", "assumed (Table Storage pricing page not reachable from here; a batch billed as one transaction is assumed too)");

    public static IReadOnlyList<Price> All =>
        [FlexGbSecond, FlexMillionExecutions, BlobWrite, BlobRead, BlobList, BlobOther, BlobGbMonth, QueueClass1, QueueClass2, TableTransaction];

    /// <summary>USD for one counted operation ("service kind", as <see cref="StorageOperation"/> names them).</summary>
    public static double PerOperation(string operation)
    {
        var (service, kind) = (operation.Split(' ', 2)[0], operation.Split(' ', 2)[1]);
        var price = service switch
        {
            "queue" => kind is "put" or "update" or "delete" or "clear" or "create queue" or "delete queue" ? QueueClass1 : QueueClass2,
            "table" => kind == "batch entities" ? null : TableTransaction,
            _ => kind switch
            {
                "read" => BlobRead,
                "write" => BlobWrite,
                "list" or "create container" => BlobList,
                "delete" or "delete container" => null, // free on general-purpose v2
                _ => BlobOther, // properties, leases, container properties
            },
        };
        return price is null ? 0 : price.Usd / 10_000;
    }

    public static double Storage(IReadOnlyDictionary<string, double> operations) => operations.Sum(p => PerOperation(p.Key) * p.Value);
}
