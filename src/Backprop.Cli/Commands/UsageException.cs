namespace Backprop.Cli.Commands;

/// <summary>A usage error found after parsing (an option value the library refuses): one line on stderr, exit code 2.</summary>
internal sealed class UsageException(string message, Exception? innerException = null) : Exception(message, innerException);
