using RecordingFunctions.LocalHost;

LocalApp.Build(args).Run();
