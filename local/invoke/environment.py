"""A function's environment for one local invocation, resolved in ``sam local invoke``'s order of precedence.

SAM CLI (``samcli.local.lambdafn.env_vars.EnvironmentVariables.resolve``) starts from the runtime's own variables
and then, for each variable the template declares, takes the env vars file's value, else the shell's value of the
same name, else the template's. It drops file entries the template does not declare; here they are kept (that is
how the local stack adds ``AWS_ENDPOINT_URL`` and the local management key) and named in a warning, because
``sam local invoke`` would ignore them.
"""

from collections.abc import Mapping
from dataclasses import dataclass

# Taken from the caller when set, as SAM passes the session's credentials; SAM's placeholders otherwise.
AWS_CREDENTIAL_DEFAULTS = {"AWS_ACCESS_KEY_ID": "defaultkey", "AWS_SECRET_ACCESS_KEY": "defaultsecret"}
AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN"
# What a Lambda execution environment has besides the function's variables (AWS "Defined runtime environment
# variables": PATH, LANG, TZ); nothing else leaks from the caller's shell (proxies, PYTHONPATH, ...).
PROCESS_VARIABLES = {"LANG": "en_US.UTF-8", "TZ": ":UTC"}
PATH_VARIABLE = "PATH"


@dataclass(frozen=True)
class FunctionEnvironment:
    """The variables of one invocation.

    Attributes
    ----------
    variables : Mapping[str, str]
        The whole process environment of the function.
    undeclared : tuple[str, ...]
        Env vars file entries the template does not declare for the function (applied; SAM would ignore them).
    """

    variables: Mapping[str, str]
    undeclared: tuple[str, ...]


def resolve_environment(
    declared: Mapping[str, str], runtime: Mapping[str, str], overrides: Mapping[str, str], shell: Mapping[str, str]
) -> FunctionEnvironment:
    """Resolve a function's environment from its template variables, env vars file entries and the shell.

    Parameters
    ----------
    declared : Mapping[str, str]
        The template's variables of the function (Globals merged, intrinsics resolved).
    runtime : Mapping[str, str]
        The variables Lambda defines for it (:func:`local.gateway.runtime.runtime_environment`).
    overrides : Mapping[str, str]
        The env vars file's entries for this function (:func:`local.invoke.samconfig.read_env_vars`).
    shell : Mapping[str, str]
        The caller's environment (``os.environ``).

    Returns
    -------
    FunctionEnvironment
    """
    credentials = {name: shell.get(name, default) for name, default in AWS_CREDENTIAL_DEFAULTS.items()}
    if AWS_SESSION_TOKEN in shell:
        credentials[AWS_SESSION_TOKEN] = shell[AWS_SESSION_TOKEN]
    chosen = {name: overrides.get(name, shell.get(name, value)) for name, value in declared.items()}
    undeclared = {name: value for name, value in overrides.items() if name not in declared}
    variables = {
        **PROCESS_VARIABLES,
        PATH_VARIABLE: shell.get(PATH_VARIABLE, ""),
        **runtime,
        **credentials,
        **chosen,
        **undeclared,
    }
    return FunctionEnvironment(variables=variables, undeclared=tuple(sorted(undeclared)))
