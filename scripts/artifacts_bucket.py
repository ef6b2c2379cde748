"""Print the SAM artifacts bucket of a stage: SSM ``/identity-stack/<stage>/deploy/artifacts-bucket`` (Terraform writes
it), read in the region of the stage's samconfig.toml section. ``make deploy`` passes it to ``sam deploy --s3-bucket``.

Runs with .venv-tools' Python (boto3 comes with the SAM CLI); AWS credentials come from the usual boto3 chain.
"""

import argparse
import sys
import tomllib
from pathlib import Path

import boto3

SAMCONFIG = Path(__file__).resolve().parents[1] / "samconfig.toml"


def artifacts_bucket(stage: str) -> str:
    """The bucket name Terraform wrote for ``stage``.

    Raises
    ------
    KeyError
        samconfig.toml has no ``[<stage>.deploy.parameters]`` region.
    botocore.exceptions.ClientError
        The parameter does not exist (Terraform not applied for the stage) or cannot be read.
    """
    region = tomllib.loads(SAMCONFIG.read_text())[stage]["deploy"]["parameters"]["region"]
    ssm = boto3.client("ssm", region_name=region)
    return ssm.get_parameter(Name=f"/identity-stack/{stage}/deploy/artifacts-bucket")["Parameter"]["Value"]


def main(argv: list[str] | None = None) -> int:
    """Print the bucket; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=["dev", "prod"])
    args = parser.parse_args(argv)
    try:
        print(artifacts_bucket(args.stage))
    except Exception as exc:  # any failure means no deploy; say why
        print(f"artifacts bucket of {args.stage}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
