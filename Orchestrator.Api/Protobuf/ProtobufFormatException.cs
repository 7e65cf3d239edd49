namespace Orchestrator.Api.Protobuf;

/// <summary>
/// The only exception the wire reader, the envelope parser and the schema decoder throw for bad input, so the
/// entry point can turn every malformed body into a single 400 without catching unrelated failures.
/// </summary>
public sealed class ProtobufFormatException(string message) : FormatException(message);
