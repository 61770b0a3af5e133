using System;
using System.Globalization;
using System.Xml.Linq;

namespace AwsLogin.TestServers;

/// <summary>The STS Query protocol's XML documents.</summary>
internal static class StsXml
{
    public static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>ISO 8601 in UTC with whole seconds, as STS writes Expiration.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Success(string action, object?[] result, string requestId) =>
        new XElement(Ns + action + "Response",
            new XElement(Ns + action + "Result", result),
            E("ResponseMetadata", E("RequestId", requestId))).ToString();

    public static string Error(string code, int httpStatus, string message, string requestId) =>
        new XElement(Ns + "ErrorResponse",
            E("Error",
                // STS marks server-side failures Receiver and everything else, throttling included, Sender.
                E("Type", httpStatus >= 500 ? "Receiver" : "Sender"),
                E("Code", code),
                E("Message", message)),
            E("RequestId", requestId)).ToString();
}
