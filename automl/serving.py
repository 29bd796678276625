"""The winner as an MLflow model: one pyfunc per task, with a table in and a table out.

- forecasting: a column ``step`` (1 = the period after the training data) and, with
  drivers, their future values; out, a column ``forecast``;
- classification: one row per case, its values in columns ``c<channel>_t<time>``; out,
  a column ``label``;
- anomaly detection: the series, one column per channel; out, a column ``score``.
"""

from __future__ import annotations

from typing import Any

import mlflow
import numpy as np
import pandas as pd

__all__ = ["PipelineModel", "input_example", "log_pipeline"]


class PipelineModel(mlflow.pyfunc.PythonModel):
    """Serves a fitted catalog pipeline of ``task``."""

    def __init__(self, task: str, fitted: Any, shape: tuple[int, ...] = (), drivers=()) -> None:
        self.task = task
        self.fitted = fitted
        self.shape = tuple(shape)  # classification: (channels, length)
        self.drivers = list(drivers)

    def predict(self, context: Any, model_input: pd.DataFrame, params: Any = None) -> pd.DataFrame:
        if self.task == "forecasting":
            steps = [int(step) for step in model_input["step"]]
            if self.drivers:
                forecast = self.fitted.predict(
                    steps, model_input[self.drivers].reset_index(drop=True)
                )
            else:
                forecast = self.fitted.predict(steps)
            return pd.DataFrame({"forecast": np.asarray(forecast, dtype=float)})
        if self.task == "classification":
            X = model_input.to_numpy(dtype=float).reshape(len(model_input), *self.shape)
            return pd.DataFrame({"label": np.asarray(self.fitted.predict(X)).astype(str)})
        series = model_input.iloc[:, 0] if model_input.shape[1] == 1 else model_input
        return pd.DataFrame({"score": np.asarray(self.fitted.anomaly_score(series), dtype=float)})


def input_example(task: str, train: tuple[Any, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A small input of the served model, and the wrapper's settings."""
    first, second = train
    if task == "forecasting":
        example = pd.DataFrame({"step": np.arange(1, 4, dtype="int64")})
        if second is not None:
            drivers = [str(c) for c in second.columns]
            example = pd.concat(
                [example, second.iloc[-3:].reset_index(drop=True).set_axis(drivers, axis=1)],
                axis=1,
            )
            return example, {"drivers": drivers}
        return example, {}
    if task == "classification":
        X = np.asarray(first[:2], dtype=float)
        _, channels, length = X.shape
        columns = [f"c{c}_t{t}" for c in range(channels) for t in range(length)]
        return pd.DataFrame(X.reshape(len(X), -1), columns=columns), {"shape": (channels, length)}
    frame = first.to_frame() if isinstance(first, pd.Series) else first
    return frame.iloc[:200].reset_index(drop=True).set_axis(
        [str(c) for c in frame.columns], axis=1
    ), {}


def log_pipeline(task: str, fitted: Any, train: tuple[Any, Any], register: str | None) -> Any:
    """Log the fitted pipeline in the active run as a model with a signature and an input
    example; register it as ``register`` with the alias ``champion`` when given."""
    import warnings
    from importlib.metadata import version

    from mlflow.models import infer_signature

    example, settings = input_example(task, train)
    model = PipelineModel(task, fitted, **settings)
    output = model.predict(None, example)
    with warnings.catch_warnings():  # steps are whole numbers: MLflow's int-NaN hint
        warnings.filterwarnings("ignore", message=".*integer column")
        signature = infer_signature(example, output)
    info = mlflow.pyfunc.log_model(
        name="model",
        python_model=model,
        signature=signature,
        input_example=example,
        # what it needs is atomkb itself (its components' extra): no inference subprocess
        pip_requirements=[
            f"atomkb[components]=={version('atomkb')}",
            f"mlflow=={mlflow.__version__}",
        ],
        registered_model_name=register,
    )
    if register:
        version = info.registered_model_version
        mlflow.MlflowClient().set_registered_model_alias(register, "champion", str(version))
    return info
