using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using RecordingFunctions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddRecordingFunctions(builder.Configuration);
builder.Build().Run();
