"""Data intake: read a dataset folder or workbook, map, check, classify and summarise it."""

from equality_reports.intake.load import dataset_from_frames, load_dataset
from equality_reports.intake.quality import ValidationResult, format_validation, validate_dataset
from equality_reports.intake.sample import generate_sample
from equality_reports.intake.template import write_template

__all__ = ["ValidationResult", "dataset_from_frames", "format_validation", "generate_sample", "load_dataset",
           "validate_dataset", "write_template"]
