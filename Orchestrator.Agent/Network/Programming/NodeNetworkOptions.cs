namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// What the node's network programming may touch, bound from the configuration section <see cref="Section"/>
/// (<c>NodeNetwork__Enabled=false</c> turns it off). Everything the agent creates carries one of three marks, so that
/// it only ever removes its own: an address label (<see cref="AddressLabel"/>), a route protocol
/// (<see cref="RouteProtocol"/>) and an iptables comment (<see cref="RuleComment"/>). Tests choose their own marks.
/// </summary>
public sealed class NodeNetworkOptions
{
    public const string Section = "NodeNetwork";
    public const string DefaultInterface = "lo";
    public const string DefaultAddressLabel = "lo:orch";

    /// <summary>
    /// Kernel route protocol number of our routes (<c>ip route … proto 147</c>): unnamed in iproute2's rt_protos,
    /// so <c>ip route show</c> prints it as a number.
    /// </summary>
    public const int DefaultRouteProtocol = 147;

    public const string DefaultRuleComment = "orchestrator-agent";

    /// <summary>False: nothing is programmed (test agents, or a node whose network is managed by hand).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The interface service addresses go on: <c>lo</c> (the kernels here have no dummy module), or the name of a
    /// dummy interface, created when <see cref="CreateDummyInterface"/> is set.
    /// </summary>
    public string Interface { get; set; } = DefaultInterface;

    /// <summary>Create <see cref="Interface"/> as <c>type dummy</c> when it does not exist (never for <c>lo</c>).</summary>
    public bool CreateDummyInterface { get; set; }

    /// <summary>
    /// The label of our addresses; it must begin with the interface's name (the kernel's rule) and be at most 15
    /// characters. Addresses without it are never removed.
    /// </summary>
    public string AddressLabel { get; set; } = DefaultAddressLabel;

    /// <summary>Route protocol number that marks our routes (1-255, not one of the kernel's own 1-4).</summary>
    public int RouteProtocol { get; set; } = DefaultRouteProtocol;

    /// <summary>The iptables comment on our rules (letters, digits, '-', '_', '.', ':'; no blanks).</summary>
    public string RuleComment { get; set; } = DefaultRuleComment;

    /// <summary>Docker's chain for user forwarding rules (filter table), consulted first by FORWARD.</summary>
    public string ForwardChain { get; set; } = "DOCKER-USER";

    /// <summary>Program pod routes and the no-masquerade/forward rules (host-gw) as well as addresses.</summary>
    public bool PodRoutes { get; set; } = true;

    /// <summary>On a graceful stop remove our labelled addresses, our routes and our rules.</summary>
    public bool CleanupOnExit { get; set; }

    /// <summary>The least time between two applications: a burst of changes costs one application per interval.</summary>
    public TimeSpan MinSyncInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>State is read and repaired this often even without a change (someone removed an address, Docker restarted).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait after a failed application; doubled per failure up to <see cref="MaxRetryInterval"/>.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>ip</c> and <c>iptables</c> programs (a path, or a name looked up in PATH).</summary>
    public string IpCommand { get; set; } = "ip";

    public string IptablesCommand { get; set; } = "iptables";

    /// <summary>The problems of these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Interface) || Interface.Length > 15 || Interface.Any(c => char.IsWhiteSpace(c) || c == '/'))
            problems.Add($"Interface '{Interface}' is not an interface name");
        if (AddressLabel.Length > 15 || !(AddressLabel == Interface || AddressLabel.StartsWith(Interface + ":", StringComparison.Ordinal)) ||
            AddressLabel.Any(char.IsWhiteSpace))
            problems.Add($"AddressLabel '{AddressLabel}' must be '{Interface}:<tag>' of at most 15 characters");
        if (AddressLabel == Interface)
            problems.Add($"AddressLabel must differ from the interface name, or every address of {Interface} would look like ours");
        if (RouteProtocol is < 5 or > 255)
            problems.Add($"RouteProtocol {RouteProtocol} must be within 5-255");
        if (RuleComment.Length is 0 or > 200 || !RuleComment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            problems.Add($"RuleComment '{RuleComment}' must be letters, digits, '-', '_', '.', ':'");
        if (CreateDummyInterface && Interface == DefaultInterface)
            problems.Add("CreateDummyInterface needs an Interface other than lo");
        return problems;
    }
}
