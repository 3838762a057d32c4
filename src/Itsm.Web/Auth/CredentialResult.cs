using Microsoft.AspNetCore.Identity;

namespace Itsm.Web.Auth;

public enum CredentialResult { Valid, Invalid, Throttled }
