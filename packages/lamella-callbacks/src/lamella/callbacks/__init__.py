"""``lamella.callbacks`` (distribution lamella-callbacks).

``Callback``, ``CallbackList``, ``History`` and ``ProgbarLogger`` are lamella-core's
(the engine needs them) and are re-exported here with the catalogue.
"""

from lamella.callbacks._version import __version__
from lamella.callbacks.backup_and_restore import BackupAndRestore
from lamella.callbacks.csv_logger import CSVLogger
from lamella.callbacks.early_stopping import EarlyStopping
from lamella.callbacks.lambda_callback import LambdaCallback
from lamella.callbacks.learning_rate_scheduler import LearningRateScheduler
from lamella.callbacks.model_checkpoint import ModelCheckpoint
from lamella.callbacks.monitor_callback import MonitorCallback
from lamella.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from lamella.callbacks.remote_monitor import RemoteMonitor
from lamella.callbacks.swap_ema_weights import SwapEMAWeights
from lamella.callbacks.tensorboard_logs.tensorboard import TensorBoard
from lamella.callbacks.terminate_on_nan import TerminateOnNaN
from lamella.training.callbacks import Callback, CallbackList, History, ProgbarLogger

CALLBACKS = (
    History, ProgbarLogger, BackupAndRestore, CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler,
    ModelCheckpoint, ReduceLROnPlateau, RemoteMonitor, SwapEMAWeights, TensorBoard, TerminateOnNaN,
)

__all__ = [
    "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History", "LambdaCallback",
    "LearningRateScheduler", "ModelCheckpoint", "MonitorCallback", "ProgbarLogger", "ReduceLROnPlateau",
    "RemoteMonitor", "SwapEMAWeights", "TensorBoard", "TerminateOnNaN", "__version__",
]
