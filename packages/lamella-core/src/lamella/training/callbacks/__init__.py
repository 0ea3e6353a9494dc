"""The callbacks the engine itself needs: the ``Callback`` base, ``CallbackList``,
``History`` and ``ProgbarLogger``. The catalogue lives in lamella-callbacks."""

from lamella.training.callbacks.callback import Callback
from lamella.training.callbacks.callback_list import CallbackList
from lamella.training.callbacks.history import History
from lamella.training.callbacks.progbar_logger import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
