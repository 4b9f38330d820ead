using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using RecordingFunctions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddRecordingFunctions(builder.Configuration);
builder.Services.AddRecordingFunctionsTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();
builder.Build().Run();
