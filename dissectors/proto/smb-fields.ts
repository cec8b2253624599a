// SMB's fields, shared by the header (smb.ts) and the Trans request (smb-browse.ts).
import { protocol, uint, Base } from '../fields';

export const PROTO_SMB = protocol('smb', 'SMB (Server Message Block Protocol)');
export const F_CMD = uint('smb.cmd', 'SMB Command', 8, Base.HEX);
export const F_NT_STATUS = uint('smb.nt_status', 'NT Status', 32, Base.HEX);
export const F_ERROR_CLASS = uint('smb.error_class', 'Error Class', 8, Base.HEX);
export const F_ERROR_CODE = uint('smb.error_code', 'Error Code', 16, Base.HEX);
export const F_FLAGS = uint('smb.flags', 'Flags', 8, Base.HEX);
export const F_FLAGS2 = uint('smb.flags2', 'Flags2', 16, Base.HEX);
export const F_PID_HIGH = uint('smb.pid.high', 'Process ID High', 16);
export const F_TID = uint('smb.tid', 'Tree ID', 16);
export const F_PID = uint('smb.pid', 'Process ID', 16);
export const F_UID = uint('smb.uid', 'User ID', 16);
export const F_MID = uint('smb.mid', 'Multiplex ID', 16);
export const F_WCT = uint('smb.wct', 'Word Count (WCT)', 8);
export const F_BCC = uint('smb.bcc', 'Byte Count (BCC)', 16);
export const F_TRANS2_CMD = uint('smb.trans2.cmd', 'Subcommand', 16, Base.HEX);
export const F_QFSI_LOI = uint('smb.qfsi_loi', 'Level of Interest', 16, Base.HEX);
export const F_QPI_LOI = uint('smb.qpi_loi', 'Level of Interest', 16);
export const F_FID = uint('smb.fid', 'FID', 16, Base.HEX);

