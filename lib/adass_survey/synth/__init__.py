"""Write the SYNTHETIC survey-tool export, calibrated so the pipeline reproduces every published figure.

May import: core.
"""
