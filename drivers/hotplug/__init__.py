"""Hotplug: a pyudev monitor that tells the printer, scanner and touch drivers when their device comes or goes.

:mod:`drivers.hotplug.rules` says which udev events concern which configured device;
:mod:`drivers.hotplug.monitor` is the thread that watches udev and calls the drivers'
``device_added()`` / ``device_removed()``. pyudev is imported only when the thread starts.
"""

from drivers.hotplug.monitor import HotplugMonitor, event_from_device
from drivers.hotplug.rules import DeviceRule, UdevEvent, rules_for

__all__ = ["DeviceRule", "HotplugMonitor", "UdevEvent", "event_from_device", "rules_for"]
