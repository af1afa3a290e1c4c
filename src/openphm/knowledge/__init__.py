"""Machine-element knowledge: bearing geometry and catalogue, ISO 281, ISO 20816, gears."""

from openphm.knowledge.bearings import fault_frequencies, fault_frequencies_hz
from openphm.knowledge.catalogue import CatalogueBearing, get_bearing, load_catalogue
from openphm.knowledge.gears import (
    assembly_phase_passing_frequency,
    gear_mesh_frequency,
    hunting_tooth_frequency,
    mesh_sidebands,
)
from openphm.knowledge.iso281 import (
    basic_rating_life_mrev,
    equivalent_load_deep_groove,
    life_modification_factor_aiso,
    modified_rating_life,
    rating_life_hours,
    reference_viscosity_nu1,
    reliability_factor_a1,
)
from openphm.knowledge.iso20816 import Zone, zone, zone_iso10816_1

__all__ = [
    "CatalogueBearing",
    "Zone",
    "assembly_phase_passing_frequency",
    "basic_rating_life_mrev",
    "equivalent_load_deep_groove",
    "fault_frequencies",
    "fault_frequencies_hz",
    "gear_mesh_frequency",
    "get_bearing",
    "hunting_tooth_frequency",
    "life_modification_factor_aiso",
    "load_catalogue",
    "mesh_sidebands",
    "modified_rating_life",
    "rating_life_hours",
    "reference_viscosity_nu1",
    "reliability_factor_a1",
    "zone",
    "zone_iso10816_1",
]
