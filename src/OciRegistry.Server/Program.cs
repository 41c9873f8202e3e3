using OciRegistry.Server;

return await RegistryCommandLine.RunAsync(args);
