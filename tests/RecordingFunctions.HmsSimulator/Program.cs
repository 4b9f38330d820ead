using RecordingFunctions.HmsSimulator;

HmsSimulatorApp.Build(args).Run();
