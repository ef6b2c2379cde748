"""The offline deploy rehearsal: ``sam deploy`` of template.yaml onto MiniStack, with what Terraform would write.

``python -m local.rehearsal`` (``make deploy-rehearsal``); gaps of the emulator are listed in docs/deploy-rehearsal.md.
"""
